package io.relais.engine.store;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contacts index: its mapping and the conversion from the API's contact JSON to the
 * stored document. Tags are a map (name to count) in the API but a {@code nested} list of
 * {@code {name, count}} in the store: a map would add one field per tag name to the mapping,
 * and counts must compare as numbers ({@code tag "X" >= 3} as a store query).
 */
public final class ContactIndex {

  private static final String MAPPING = "contacts-mapping.json";

  private final ElasticsearchStore store;
  private final String name;

  public ContactIndex(ElasticsearchStore store) {
    this.store = store;
    this.name = store.settings().index("contacts");
  }

  public String name() {
    return name;
  }

  /** Creates the index with its mapping unless it exists. */
  public void ensureExists() {
    ElasticsearchClient client = store.client();
    try {
      if (client.indices().exists(e -> e.index(name)).value()) {
        return;
      }
      try (InputStream mapping = ContactIndex.class.getResourceAsStream(MAPPING)) {
        client.indices().create(c -> c.index(name).mappings(m -> m.withJson(mapping)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index " + name, e);
    }
  }

  /**
   * Stores the contacts that are not stored yet (by id) and leaves the others as they are,
   * so loading demo data twice never undoes what rules did to a contact.
   *
   * @return how many contacts were created
   */
  public int createMissing(List<Map<String, Object>> contacts) {
    if (contacts.isEmpty()) {
      return 0;
    }
    List<BulkOperation> operations = new ArrayList<>();
    for (Map<String, Object> contact : contacts) {
      Object id = contact.get("id");
      if (!(id instanceof String text) || text.isBlank()) {
        throw new IllegalArgumentException("every contact needs a text id: " + contact);
      }
      Map<String, Object> document = toDocument(contact);
      operations.add(BulkOperation.of(b -> b.create(c -> c.index(name).id(text).document(document))));
    }
    try {
      BulkResponse response =
          store.client().bulk(b -> b.operations(operations).refresh(Refresh.WaitFor));
      int created = 0;
      for (BulkResponseItem item : response.items()) {
        if (item.error() == null) {
          created++;
        } else if (item.status() != 409) {
          throw new IllegalStateException(
              "cannot store contact " + item.id() + ": " + item.error().reason());
        }
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store contacts in " + name, e);
    }
  }

  /** The stored document of contact {@code id}, in the API's JSON shape, if there is one. */
  public Optional<Map<String, Object>> find(String id) {
    try {
      @SuppressWarnings("rawtypes")
      GetResponse<Map> found = store.client().get(g -> g.index(name).id(id), Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> source = found.found() ? found.source() : null;
      return Optional.ofNullable(source).map(ContactIndex::fromDocument);
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return Optional.empty(); // no index yet: no contact either
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read contact " + id + " from " + name, e);
    }
  }

  /** The API's JSON shape of a stored document: tags back to a name-to-count map. */
  static Map<String, Object> fromDocument(Map<String, Object> document) {
    Map<String, Object> contact = new LinkedHashMap<>(document);
    if (document.get("tags") instanceof List<?> nested) {
      Map<String, Object> tags = new LinkedHashMap<>();
      for (Object entry : nested) {
        if (entry instanceof Map<?, ?> tag) {
          tags.put(String.valueOf(tag.get("name")), tag.get("count"));
        }
      }
      contact.put("tags", tags);
    }
    return contact;
  }

  /** The stored form of a contact given as API JSON. */
  static Map<String, Object> toDocument(Map<String, Object> contact) {
    Map<String, Object> document = new LinkedHashMap<>(contact);
    if (contact.get("tags") instanceof Map<?, ?> tags) {
      List<Map<String, Object>> nested = new ArrayList<>();
      tags.forEach((tag, count) -> nested.add(Map.of("name", String.valueOf(tag), "count", count)));
      document.put("tags", nested);
    }
    return document;
  }
}
