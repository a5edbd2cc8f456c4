package io.relais.engine.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
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
 * generated conditions (declared attributes, text equality on lower-cased fields, arithmetic and
 * fields compared with fields among them), the store query selects exactly the contacts for
 * which the engine, one by one, finds the condition true.
 */
class AudiencePushDownIT {

  private static final int CONTACTS = 3_000;
  private static final int CONDITIONS = 300;
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final Map<String, String> FILES = Map.of("base.rules", """
      timezone "Europe/Paris"
      define HOT = 50
      attribute contact.industry : text
      attribute contact.budget : number
      attribute contact.vip : boolean
      tier "Silver" from 500 points
      tier "Gold" from 2000 points
      """);

  private static ElasticsearchStore store;
  private static Audiences audiences;
  private static final List<Contact> contacts = new ArrayList<>();

  @BeforeAll
  static void seed() {
    StoreSettings fresh = TestStore.freshSettings();
    // Seeding thousands of contacts on a shared 2-core machine can take longer than a request.
    store = ElasticsearchStore.connect(new StoreSettings(fresh.url(), fresh.indexPrefix(), fresh.connectTimeout(),
        Duration.ofMinutes(2)));
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    StoreCalls calls = StoreCalls.uncounted();
    StoreIndices indices = new StoreIndices(store, calls);
    indices.ensureAll();
    ContactStore contactStore = new ContactStore(store, indices, calls, json);
    audiences = new Audiences(store, calls);
    ContactGenerator generator = new ContactGenerator(42);
    for (int from = 0; from < CONTACTS; from += 500) {
      List<ProfileUpdate> updates = new ArrayList<>();
      for (int n = from; n < Math.min(CONTACTS, from + 500); n++) {
        Contact contact = withAttributes(generator.contact(n), new Random(n));
        contacts.add(contact);
        updates.add(new ProfileUpdate(contact, ProfileUpdate.STATE_FIELDS, true, true));
      }
      for (ContactStore.BulkItem item : contactStore.putAll(updates, NOW)) {
        assertEquals(null, item.error(), item.id());
      }
    }
    calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
  }

  // Declared attributes as clients send them: of their type, of another that reads as it
  // ("12.50" as a number), of one that does not (a list, "abc"), empty or missing.
  private static final List<Object> INDUSTRIES =
      java.util.Arrays.asList("finance", "Finance", "cars", "", 12, 12.5, true, List.of("finance"), null);
  private static final List<Object> BUDGETS =
      java.util.Arrays.asList(12, 12.5, "12.50", "100", 0, -3.25, 99.999, "abc", "", false, null, 1_000_000);
  private static final List<Object> FLAGS = java.util.Arrays.asList(true, false, "true", "FALSE", "no", 1, null);

  private static Contact withAttributes(Contact contact, Random random) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    put(attributes, "industry", INDUSTRIES.get(random.nextInt(INDUSTRIES.size())));
    put(attributes, "budget", BUDGETS.get(random.nextInt(BUDGETS.size())));
    put(attributes, "vip", FLAGS.get(random.nextInt(FLAGS.size())));
    return contact.toBuilder().attributes(attributes).build();
  }

  private static void put(Map<String, Object> attributes, String name, Object value) {
    if (value != null) {
      attributes.put(name, value);
    }
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void theStoreSelectsExactlyTheContactsTheEngineFindsTrue() throws Exception {
    ConditionGenerator generator = new ConditionGenerator(new Random(7));
    List<String> conditions = new ArrayList<>();
    for (int i = 0; i < CONDITIONS; i++) {
      conditions.add(generator.condition(3));
    }
    List<Set<String>> engine = engineMatches(conditions);
    int nonTrivial = 0;
    for (int i = 0; i < CONDITIONS; i++) {
      String condition = conditions.get(i);
      AudienceCondition checked = AudienceCondition.check("eq", FILES, condition);
      Set<String> stored = storeMatches(checked);
      Set<String> expected = engine.get(i);
      if (!expected.equals(stored)) {
        Set<String> onlyEngine = new TreeSet<>(expected);
        onlyEngine.removeAll(stored);
        Set<String> onlyStore = new TreeSet<>(stored);
        onlyStore.removeAll(expected);
        String example = onlyEngine.isEmpty() ? onlyStore.iterator().next() : onlyEngine.iterator().next();
        throw new AssertionError("condition: " + condition + "\nengine only: " + first(onlyEngine)
            + "\nstore only: " + first(onlyStore) + "\nfor example " + contacts.stream()
            .filter(c -> c.id().equals(example)).findFirst().orElseThrow());
      }
      assertEquals(expected.size(), audiences.count(checked), condition);
      if (!expected.isEmpty() && expected.size() < CONTACTS) {
        nonTrivial++;
      }
    }
    // The generator must exercise something: most conditions split the contacts.
    assertTrue(nonTrivial > CONDITIONS / 2, "only " + nonTrivial + " conditions split the contacts");
  }

  @Test
  void declaredAttributesTextEqualityArithmeticAndComparedFieldsAreExact() throws Exception {
    List<String> conditions = List.of(
        "contact.industry = \"finance\"", "contact.industry != \"finance\"", "contact.industry = \"12\"",
        "contact.industry = \"true\"", "contact.industry is empty", "contact.industry contains \"FIN\"",
        "contact.industry in [\"cars\", \"\"]", "not (contact.industry = \"cars\")",
        "contact.budget > 12", "contact.budget >= 12.5", "contact.budget = 12.5", "contact.budget < 0",
        "contact.budget != 100", "contact.budget is empty", "not (contact.budget <= 50)",
        "contact.vip", "contact.vip = false", "contact.vip is empty", "not contact.vip",
        "contact.email = \"Jean.4@Example.com\"", "contact.email = \"jean.4@example.com\"",
        "contact.owner = \"Julie@Acme.fr\"", "contact.owner != \"julie@acme.fr\"",
        "contact.owner in [\"marc@acme.fr\"]", "contact.owner matches \"J*\"",
        "contact.score * 2 + 10 > 51", "contact.score / 3 <= 2.5", "100 - contact.score >= 40",
        "contact.companySize / 7 = 10", "contact.companySize / 0 > 1", "not (contact.companySize / 0 > 1)",
        "(contact.score - 5) * 0.1 < 3.3", "contact.score * 0 = 0", "contact.companySize * 3 != 30",
        "contact.score * 2 in [10, 20, 31]", "contact.companySize + 1 is empty",
        "contact.consent.email = contact.consent.sms", "contact.consent.email != contact.consent.sms",
        "contact.vip = contact.consent.email", "contact.stage >= contact.stage",
        "contact.score = contact.score", "contact.lastActivityAt < contact.lastActivityAt");
    List<Set<String>> engine = engineMatches(conditions);
    int nonTrivial = 0;
    for (int i = 0; i < conditions.size(); i++) {
      AudienceCondition checked = AudienceCondition.check("eq", FILES, conditions.get(i));
      assertEquals(engine.get(i), storeMatches(checked), conditions.get(i));
      if (!engine.get(i).isEmpty() && engine.get(i).size() < CONTACTS) {
        nonTrivial++;
      }
    }
    assertTrue(nonTrivial > conditions.size() * 2 / 3, "only " + nonTrivial + " conditions split the contacts");
  }

  @Test
  void fieldsComparedWithFieldsAndTwoFieldArithmeticRunAsAResidualWithTheEnginesResults() throws Exception {
    List<String> conditions = List.of(
        "contact.score > contact.companySize", "contact.score <= contact.companySize",
        "contact.score != contact.companySize", "contact.score = contact.companySize",
        "contact.createdAt < contact.lastActivityAt", "contact.lastActivityAt >= contact.createdAt",
        "contact.email = contact.owner", "contact.email != contact.owner", "contact.industry = contact.owner",
        "contact.vip = contact.consent.sms", "contact.budget > contact.score",
        "contact.budget / contact.score >= 1", "contact.score + contact.companySize > 60",
        "contact.score - contact.companySize between -5 and 5", "100 / contact.score > 2",
        "contact.budget * 2 >= 50", "contact.score * contact.budget in [0, 100]",
        "contact.score >= 30 and contact.score > contact.companySize",
        "contact.score >= 30 or contact.score > contact.companySize",
        "not (contact.score > contact.companySize)",
        "not (contact.score >= 30 and contact.budget > contact.score)",
        "contact.industry = \"finance\" and not (contact.score < contact.companySize or contact.vip)",
        "(contact.score > contact.companySize or has tag \"VIP\") and contact.score >= 10",
        "contact.score + contact.companySize is empty", "not (contact.email = contact.owner)");
    List<Set<String>> engine = engineMatches(conditions);
    int nonTrivial = 0;
    for (int i = 0; i < conditions.size(); i++) {
      AudienceCondition checked = AudienceCondition.check("eq", FILES, conditions.get(i));
      PushDown.Plan plan = PushDown.plan(checked);
      Set<String> found = new HashSet<>();
      if (plan.residual().isPresent()) {
        audiences.scan(plan, checked.ruleset(), found::add);
      } else {
        found = storeMatches(checked); // booleans compared are matched pair by pair in the store
      }
      assertEquals(engine.get(i), found, conditions.get(i));
      assertEquals(engine.get(i).size(), audiences.count(checked), conditions.get(i));
      if (!engine.get(i).isEmpty() && engine.get(i).size() < CONTACTS) {
        nonTrivial++;
      }
    }
    assertTrue(nonTrivial > conditions.size() / 2, "only " + nonTrivial + " conditions split the contacts");
  }

  @Test
  void aResidualScanBeyondTheCapIsRefused() {
    AudienceCondition checked = AudienceCondition.check("eq", FILES, "contact.score > contact.companySize");
    Audiences capped = new Audiences(store, StoreCalls.uncounted(), 10);
    org.junit.jupiter.api.Assertions.assertThrows(Audiences.ResidualScanTooLargeException.class,
        () -> capped.count(checked));
    // Narrowed by a pushed-down part to fewer candidates than the cap, it runs.
    AudienceCondition narrow = AudienceCondition.check("eq", FILES,
        "contact.id = \"" + contacts.get(0).id() + "\" and contact.score > contact.companySize");
    assertTrue(capped.count(narrow) <= 1);
  }

  private static String first(Set<String> ids) {
    return ids.size() + " " + ids.stream().limit(5).toList();
  }

  /** Which contacts the engine finds each condition true for: one rule per condition, one evaluation per contact. */
  private static List<Set<String>> engineMatches(List<String> conditions) {
    Map<String, String> files = new LinkedHashMap<>(FILES);
    StringBuilder probes = new StringBuilder();
    for (int i = 0; i < conditions.size(); i++) {
      probes.append("segment \"probe ").append(i).append("\"\nwhen\n").append(conditions.get(i))
          .append("\nthen tag \"hit-").append(i).append("\"\nend\n");
    }
    files.put("probe.rules", probes.toString());
    List<Source> sources = files.entrySet().stream().map(e -> new Source(e.getKey(), e.getValue())).toList();
    CheckResult checked = RuleLanguage.check("eq", sources);
    CompiledRuleset compiled = CompiledRuleset.compile(checked.ruleset().orElseThrow(
        () -> new AssertionError(checked.errors())), 1);
    List<Set<String>> hits = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      hits.add(new HashSet<>());
    }
    for (Contact contact : contacts) {
      for (var decision : compiled.evaluate(contact, Optional.empty(), List.of(), NOW).decisions()) {
        if (decision.type() == Decision.Type.TAG && decision.fields().get("tag") instanceof String tag
            && tag.startsWith("hit-")) {
          hits.get(Integer.parseInt(tag.substring(4))).add(contact.id());
        }
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
