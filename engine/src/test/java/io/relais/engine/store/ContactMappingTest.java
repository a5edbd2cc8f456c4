package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.schema.Schema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contacts index's mapping holds every stored field of the schema, mapped as declared. */
class ContactMappingTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties() throws Exception {
    Map<String, Object> mapping = new ObjectMapper().readValue(ContactMapping.json(), Map.class);
    assertThat(mapping).containsEntry("dynamic", false);
    return (Map<String, Object>) mapping.get("properties");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyStoredFieldIsMappedAsItsIndexingSays() throws Exception {
    Map<String, Object> properties = properties();
    for (Schema.Field field : Schema.storedFields()) {
      Map<String, Object> where = properties;
      String[] parts = field.name().split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        where = (Map<String, Object>) ((Map<String, Object>) where.get(parts[i])).get("properties");
      }
      assertThat(where.get(parts[parts.length - 1])).as(field.name())
          .isEqualTo(ContactMapping.of(field.indexing().orElseThrow()));
    }
    for (Schema.Field field : Schema.fields()) {
      if (!field.stored()) {
        // points is the balance the store keeps for queries, not the derived field's mapping.
        assertThat(field.name().equals("points") || !properties.containsKey(field.name()))
            .as(field.name()).isTrue();
      }
    }
  }

  @Test
  void aResourceThatMapsASchemaFieldIsRefused() {
    Map<String, Object> resource = Map.of("properties", Map.of("email", Map.of("type", "text")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContactMapping.merge(resource))
        .hasMessageContaining("maps email");
  }

  @Test
  void theResourceKeepsWhatTheSchemaDoesNotDeclare() throws Exception {
    Map<String, Object> properties = properties();
    assertThat(properties).containsKeys("stageRank", "tags", "ledger", "enrollments", "alerts",
        "attributes", "points", "outbox", "updatedAt");
    assertThat(properties.get("email")).isEqualTo(Map.of("type", "keyword", "normalizer", "lowercase",
        "ignore_above", 1024, "fields", Map.of("exact", Map.of("type", "keyword", "ignore_above", 1024))));
    assertThat(properties).containsKey("attributeValues");
    assertThat(properties.get("consent")).isEqualTo(Map.of("properties",
        Map.of("email", Map.of("type", "boolean"), "sms", Map.of("type", "boolean"))));
  }
}
