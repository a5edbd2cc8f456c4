package io.relais.engine.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.store.ContactIndex;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push-down's contract on a real node: for thousands of generated contacts and hundreds of
 * generated conditions, the store query selects exactly the contacts for which the engine, one
 * by one, finds the condition true.
 */
class AudiencePushDownIT {

  private static final int CONTACTS = 3_000;
  private static final int CONDITIONS = 300;
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final Map<String, String> FILES = Map.of("base.rules", """
      timezone "Europe/Paris"
      define HOT = 50
      attribute contact.industry : text
      tier "Silver" from 500 points
      tier "Gold" from 2000 points
      """);

  private static ElasticsearchStore store;
  private static Audiences audiences;
  private static final List<Contact> contacts = new ArrayList<>();

  @BeforeAll
  static void seed() throws Exception {
    StoreSettings fresh = TestStore.freshSettings();
    // Seeding thousands of contacts on a shared 2-core machine can take longer than a request.
    store = ElasticsearchStore.connect(new StoreSettings(fresh.url(), fresh.indexPrefix(), fresh.connectTimeout(),
        Duration.ofMinutes(2)));
    new ContactIndex(store).ensureExists();
    audiences = new Audiences(store);
    ContactGenerator generator = new ContactGenerator(42);
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    for (int from = 0; from < CONTACTS; from += 500) {
      BulkRequest.Builder bulk = new BulkRequest.Builder()
          .refresh(from + 500 >= CONTACTS ? Refresh.True : Refresh.False);
      for (int n = from; n < Math.min(CONTACTS, from + 500); n++) {
        Contact contact = generator.contact(n);
        contacts.add(contact);
        bulk.operations(o -> o.index(i -> i.index(audiences.index()).id(contact.id()).document(document(json, contact))));
      }
      BulkResponse response = store.client().bulk(bulk.build());
      assertTrue(!response.errors(), () -> response.items().stream()
          .filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse(""));
    }
  }

  @AfterAll
  static void close() {
    store.close();
  }

  // The stored form: tags as a nested {name, count} list (docs/store.md).
  @SuppressWarnings("unchecked")
  private static Map<String, Object> document(ObjectMapper json, Contact contact) {
    Map<String, Object> document = new LinkedHashMap<>(json.convertValue(contact, Map.class));
    List<Map<String, Object>> tags = new ArrayList<>();
    contact.tags().forEach((name, count) -> tags.add(Map.of("name", name, "count", count)));
    document.put("tags", tags);
    if (contact.stage().isOrdered()) {
      document.put("stageRank", contact.stage().ordinal());
    }
    return document;
  }

  @Test
  void theStoreSelectsExactlyTheContactsTheEngineFindsTrue() throws Exception {
    ConditionGenerator conditions = new ConditionGenerator(new Random(7));
    int nonTrivial = 0;
    for (int i = 0; i < CONDITIONS; i++) {
      String condition = conditions.condition(3);
      Set<String> engine = engineMatches(condition);
      AudienceCondition checked = AudienceCondition.check("eq", FILES, condition);
      Set<String> stored = storeMatches(checked);
      if (!engine.equals(stored)) {
        Set<String> onlyEngine = new TreeSet<>(engine);
        onlyEngine.removeAll(stored);
        Set<String> onlyStore = new TreeSet<>(stored);
        onlyStore.removeAll(engine);
        String example = onlyEngine.isEmpty() ? onlyStore.iterator().next() : onlyEngine.iterator().next();
        throw new AssertionError("condition: " + condition + "\nengine only: " + first(onlyEngine)
            + "\nstore only: " + first(onlyStore) + "\nfor example " + contacts.stream()
            .filter(c -> c.id().equals(example)).findFirst().orElseThrow());
      }
      assertEquals(engine.size(), audiences.count(checked), condition);
      if (!engine.isEmpty() && engine.size() < CONTACTS) {
        nonTrivial++;
      }
    }
    // The generator must exercise something: most conditions split the contacts.
    assertTrue(nonTrivial > CONDITIONS / 2, "only " + nonTrivial + " conditions split the contacts");
  }

  private static String first(Set<String> ids) {
    return ids.size() + " " + ids.stream().limit(5).toList();
  }

  private static Set<String> engineMatches(String condition) {
    Map<String, String> files = new LinkedHashMap<>(FILES);
    files.put("probe.rules", "segment \"probe\"\nwhen\n" + condition + "\nthen tag \"hit\"\nend\n");
    List<Source> sources = files.entrySet().stream().map(e -> new Source(e.getKey(), e.getValue())).toList();
    CheckResult checked = RuleLanguage.check("eq", sources);
    CompiledRuleset compiled = CompiledRuleset.compile(checked.ruleset().orElseThrow(
        () -> new AssertionError(condition + ": " + checked.errors())), 1);
    Set<String> hits = new HashSet<>();
    for (Contact contact : contacts) {
      boolean hit = compiled.evaluate(contact, Optional.empty(), List.of(), NOW).decisions().stream()
          .anyMatch(d -> d.type().equals("TAG") && "hit".equals(d.fields().get("tag")));
      if (hit) {
        hits.add(contact.id());
      }
    }
    return hits;
  }

  private static Set<String> storeMatches(AudienceCondition condition) throws Exception {
    SearchResponse<Void> response = store.client().search(s -> s.index(audiences.index())
        .query(PushDown.translate(condition)).size(CONTACTS).source(src -> src.fetch(false)), Void.class);
    Set<String> ids = new HashSet<>();
    for (Hit<Void> hit : response.hits().hits()) {
      ids.add(hit.id());
    }
    return ids;
  }
}
