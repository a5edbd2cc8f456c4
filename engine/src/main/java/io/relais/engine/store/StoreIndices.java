package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Every index Relais owns, with its explicit mapping: {@link #ensureAll()} creates the missing
 * ones (at start, after the store comes back, and with every recovery sweep). Names come from
 * the index prefix. Indices another part keeps with its own mapping (the batch runs) join with
 * {@link #alsoEnsure}, so they come back with the others after the store lost its data.
 */
public final class StoreIndices {

  /**
   * One index: its short name (after the prefix), its mapping and settings resources, and the
   * dynamic settings an index created by an earlier Relais is brought to (null: none).
   */
  record Spec(String shortName, String mapping, String settings, String dynamicSettings) {}

  private static final List<Spec> SPECS = List.of(
      new Spec("contacts", "contacts-mapping.json", "contacts-settings.json", "contacts-dynamic-settings.json"),
      new Spec("events", "events-mapping.json", "events-settings.json", null),
      new Spec("recovery", "recovery-mapping.json", "recovery-settings.json", null),
      // Actions out (docs/webhooks.md): the actions, their deliveries, the subscriptions.
      new Spec("actions", "actions-mapping.json", "actions-settings.json", null),
      new Spec("deliveries", "deliveries-mapping.json", "actions-settings.json", null),
      new Spec("webhooks", "webhooks-mapping.json", "recovery-settings.json", null));

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  // Indices whose mapping this process has brought up to date: ensureAll runs with every
  // recovery sweep, and the mapping only needs putting once per index this process sees.
  private final java.util.Set<String> mapped = java.util.concurrent.ConcurrentHashMap.newKeySet();
  // Indices of other parts: each callback creates its index when missing.
  private final List<Runnable> others = new java.util.concurrent.CopyOnWriteArrayList<>();

  public StoreIndices(ElasticsearchStore store, StoreCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  /** The contacts index: one document per contact, its id the contact's id. */
  public String contacts() {
    return store.settings().index("contacts");
  }

  /** The events index: one document per recorded event, routed by contact. */
  public String events() {
    return store.settings().index("events");
  }

  /**
   * The recovery index: one document, how far the recovery sweep has checked the contacts'
   * outboxes ({@link SweepMark}).
   */
  public String recovery() {
    return store.settings().index("recovery");
  }

  /**
   * Creates every index that does not exist yet, and brings the mapping of existing ones up to
   * date: fields this version maps and an older one did not (say a sort key the recovery sweep
   * needs) are added. Adding fields is all a mapping update can do; documents already stored
   * get the new fields indexed when they are next written.
   */
  public void ensureAll() {
    for (Spec spec : SPECS) {
      ensure(spec);
    }
    for (Runnable other : others) {
      other.run();
    }
  }

  /**
   * Has {@link #ensureAll()} also run {@code ensure}, which creates an index another part owns
   * when it is missing (and must accept one created meanwhile by another instance).
   */
  public void alsoEnsure(Runnable ensure) {
    others.add(java.util.Objects.requireNonNull(ensure, "ensure"));
  }

  private void ensure(Spec spec) {
    String name = store.settings().index(spec.shortName());
    boolean exists = calls.read("exists " + name, () -> store.client().indices().exists(e -> e.index(name)).value());
    if (exists) {
      if (!mapped.contains(name)) {
        calls.run("update mapping of " + name, () -> {
          try (InputStream mapping = mapping(spec)) {
            return store.client().indices().putMapping(p -> p.index(name).withJson(mapping));
          }
        });
        if (spec.dynamicSettings() != null) {
          calls.run("update settings of " + name, () -> {
            try (InputStream settings = resource(spec.dynamicSettings())) {
              store.putSettings(name, new String(settings.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
              return null;
            }
          });
        }
        flushThresholdAge(name);
        mapped.add(name);
      }
      return;
    }
    try {
      calls.run("create " + name, () -> {
        try (InputStream mapping = mapping(spec); InputStream settings = resource(spec.settings())) {
          String replicas = String.valueOf(store.replicasForNewIndex());
          return store.client().indices().create(c -> c.index(name)
              .mappings(m -> m.withJson(mapping))
              .settings(s -> s.withJson(settings).numberOfReplicas(replicas)));
        }
      });
      flushThresholdAge(name);
      mapped.add(name);
    } catch (ElasticsearchException e) {
      // Another instance created it between our check and our create.
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e;
      }
    }
  }

  /**
   * Puts the configured {@code index.translog.flush_threshold_age} on an index (created now or
   * by an earlier Relais): a dynamic setting, so a changed value reaches existing indices at the
   * next start. Unset, the index keeps what it has (Elasticsearch's one minute, or an operator's
   * own value).
   */
  private void flushThresholdAge(String name) {
    java.time.Duration age = store.settings().flushThresholdAge();
    if (age != null) {
      calls.run("update flush threshold of " + name, () -> {
        store.putSettings(name, "{\"index.translog.flush_threshold_age\": \"" + age.toMillis() + "ms\"}");
        return null;
      });
    }
  }

  // The contacts' mapping is the schema's plus its resource (ContactMapping).
  private static InputStream mapping(Spec spec) {
    return spec.mapping().equals(ContactMapping.RESOURCE)
        ? new java.io.ByteArrayInputStream(
            ContactMapping.json().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        : resource(spec.mapping());
  }

  private static InputStream resource(String name) {
    InputStream in = StoreIndices.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name); // a packaging bug
    }
    return in;
  }
}
