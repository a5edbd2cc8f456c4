package io.relais.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contacts index's mapping: each field of the schema mapped as its {@link Schema.Indexing}
 * says (docs/store.md, "Mapping"), added to {@code contacts-mapping.json}, which holds what the
 * schema does not declare field by field (the state parts' nested lists, the stage's rank, the
 * balance for queries, the write protocol's bookkeeping).
 */
final class ContactMapping {

  static final String RESOURCE = "contacts-mapping.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MAPPING = build();

  private ContactMapping() {}

  /** The mapping as JSON text. */
  static String json() {
    return MAPPING;
  }

  /** How one kind of stored value is mapped. */
  static Map<String, Object> of(Schema.Indexing indexing) {
    return switch (indexing) {
      case ID -> Map.of("type", "keyword");
      case KEYWORD -> Map.of("type", "keyword", "ignore_above", 1024);
      // Lower-cased for look-ups that ignore case, and as written for the language's `=`.
      case FOLDED -> Map.of("type", "keyword", "normalizer", "lowercase", "ignore_above", 1024,
          "fields", Map.of("exact", Map.of("type", "keyword", "ignore_above", 1024)));
      case INTEGER -> Map.of("type", "integer");
      case DATE -> Map.of("type", "date", "format", "strict_date");
      case DATETIME -> Map.of("type", "date");
      case BOOLEAN -> Map.of("type", "boolean");
      case STAGE -> Map.of("type", "keyword");
    };
  }

  private static String build() {
    try (InputStream in = ContactMapping.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE); // a packaging bug
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> resource = JSON.readValue(in, Map.class);
      return JSON.writeValueAsString(merge(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code resource}'s mapping with the schema's stored fields added; mapping one of them is an error. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> resource) {
    Map<String, Object> mapping = new LinkedHashMap<>(resource);
    Map<String, Object> properties = (Map<String, Object>) mapping.get("properties");
    Map<String, Object> merged = new LinkedHashMap<>();
    for (Schema.Field field : Schema.storedFields()) {
      Map<String, Object> where = merged;
      String[] parts = field.name().split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        where = (Map<String, Object>) ((Map<String, Object>) where.computeIfAbsent(parts[i],
            k -> new LinkedHashMap<>(Map.of("properties", new LinkedHashMap<>()))))
            .get("properties");
      }
      where.put(parts[parts.length - 1], of(field.indexing().orElseThrow()));
    }
    properties.forEach((name, value) -> {
      if (merged.putIfAbsent(name, value) != null) {
        throw new IllegalStateException(RESOURCE + " maps " + name + ", which the schema maps");
      }
    });
    mapping.put("properties", merged);
    return mapping;
  }
}
