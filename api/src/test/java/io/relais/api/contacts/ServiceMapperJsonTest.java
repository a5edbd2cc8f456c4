package io.relais.api.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.contact.JsonValues;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.EvaluationJson;
import io.relais.engine.evaluation.TraceMode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The hand-written JSON of contacts and decisions (on every event's path) is exactly what the
 * service's own object mapper (Spring Boot's, with application.yml) converts them to, and a
 * contact read directly from a plain map is the one that mapper reads. The engine's
 * equivalence tests cover the store's mapper on many more generated inputs; this one checks
 * that the service's mapper, with its extra modules and features, changes nothing.
 */
class ServiceMapperJsonTest {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static ObjectMapper serviceMapper() {
    AtomicReference<ObjectMapper> mapper = new AtomicReference<>();
    new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer())
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
        .run(context -> mapper.set(context.getBean(ObjectMapper.class)));
    return mapper.get();
  }

  private final ObjectMapper json = serviceMapper();
  private final Random random = new Random(31);

  @Test
  void contactsAndDecisionsAreWrittenAsTheServiceMapperWrites() throws Exception {
    // application.yml was read: the strict parser features are on.
    assertThat(json.getFactory().isEnabled(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
        .isTrue();
    List<CompiledRuleset> rulesets = new ArrayList<>();
    try (Stream<Path> list = Files.list(Path.of("..", "rules"))) {
      for (Path folder : list.filter(Files::isDirectory).sorted().toList()) {
        if (!folder.getFileName().toString().equals("src") && !folder.getFileName().toString().equals("target")) {
          rulesets.add(CompiledRuleset.compile(RuleLanguage.check(RuleLanguage.load(folder)).ruleset().orElseThrow(), 1));
        }
      }
    }
    int decisions = 0;
    for (int i = 0; i < 400; i++) {
      Map<String, Object> given = contactJson();
      // As a request body or a stored document reaches the code: parsed from its text.
      Map<String, Object> parsed = json.readValue(json.writeValueAsString(given), MAP);
      assertThat(JsonValues.isPlain(parsed)).isTrue();
      Contact contact = Contact.fromJson(parsed);
      Contact viaMapper = json.convertValue(parsed, Contact.class);
      assertThat(contact).isEqualTo(viaMapper);
      assertThat(json.writeValueAsString(contact)).isEqualTo(json.writeValueAsString(viaMapper));

      Map<String, Object> byHand = contact.toJson();
      Map<String, Object> byMapper = json.convertValue(contact, MAP);
      assertThat(byHand).isEqualTo(byMapper);
      assertThat(json.writeValueAsString(byHand)).isEqualTo(json.writeValueAsString(byMapper));

      Event event = new Event("e-" + i, List.of("page_visit", "purchase", "form_submit", "daily").get(i % 4), NOW,
          Map.of("url", List.of("/financing/leasing/offers", "/financing/leasing/é-\"q\"\\\n", "/financing/leasing/😀")
              .get(i % 3), "amount", i % 2 == 0 ? 1200 : "99.5", "form", "demo",
              "seconds", 40));
      Evaluation evaluation = rulesets.get(i % rulesets.size()).evaluate(contact, Optional.of(event), List.of(), NOW);
      // Made before the trace is read (toJson keeps its text as strings), as the service makes
      // them: their fired rules' text is written from the recorded steps.
      Map<TraceMode, EvaluationJson> answers = new java.util.EnumMap<>(TraceMode.class);
      for (TraceMode mode : TraceMode.values()) {
        answers.put(mode, EvaluationJson.answer(evaluation, mode, List.of()));
      }
      Map<String, Object> decision = evaluation.toJson(TraceMode.FIRED);
      // The mapper writes the evaluation's whole trace: given the fired rules' part, as recorded.
      Evaluation fired = new Evaluation(evaluation.contactId(), evaluation.ruleset(), evaluation.version(),
          evaluation.now(), evaluation.decisions(), evaluation.contact(), evaluation.warnings(),
          evaluation.trace(TraceMode.FIRED), evaluation.resultingContact());
      Map<String, Object> decisionByMapper = json.convertValue(fired, MAP);
      assertThat(decision).isEqualTo(decisionByMapper);
      assertThat(json.writeValueAsString(decision)).isEqualTo(json.writeValueAsString(decisionByMapper));
      // POST /decisions streams the answer (EvaluationJson) through this mapper: the same text.
      assertThat(json.writeValueAsString(answers.get(TraceMode.FIRED))).isEqualTo(json.writeValueAsString(decision));
      // As the service sends it: bytes from the mapper's UTF-8 generator, which is given the
      // fired rules' trace text already encoded.
      for (TraceMode mode : TraceMode.values()) {
        assertThat(json.writeValueAsBytes(answers.get(mode))).isEqualTo(json.writeValueAsBytes(evaluation.toJson(mode)));
      }
      decisions += evaluation.decisions().size();
    }
    assertThat(decisions).isPositive();
    Contact full = Contact.builder().id("c-2").email("a@b.fr").firstName("Jean").lastName("Dupont")
        .company("Acme").profile("city", "Lyon").profile("country", "FR").owner("marc@acme.fr")
        .companySize(80).birthDate(LocalDate.of(1990, 11, 22)).createdAt(NOW)
        .lastActivityAt(NOW.plusNanos(5)).score(120).stage(Stage.MQL).tags(Map.of("VIP", 2))
        .segments(Set.of("S1")).tier("gold")
        .ledger(List.of(new Contact.LedgerLot(new BigDecimal("100.50"), NOW, null, null, "r1")))
        .enrollments(List.of(new Contact.Enrollment("welcome", null, false))).alerts(Map.of("alert", NOW))
        .attributes(Map.of("budget", new BigDecimal("1E+3"), "n", List.of(1, 2L, 3.5, Map.of("x", true))))
        .consent(new Contact.Consent(true, null)).build();
    assertThat(full.toJson()).isEqualTo(json.convertValue(full, MAP));
    assertThat(json.writeValueAsString(full.toJson())).isEqualTo(json.writeValueAsString(json.convertValue(full, MAP)));
  }

  private Map<String, Object> contactJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", "c-" + random.nextInt(100));
    if (random.nextBoolean()) {
      out.put("email", random.nextBoolean() ? "a@b.fr" : 12);
    }
    if (random.nextBoolean()) {
      out.put("owner", "marc@acme.fr");
    }
    out.put("score", random.nextInt(5) == 0 ? "abc" : random.nextInt(200));
    out.put("stage", List.of("LEAD", "MQL", "SQL", "CUSTOMER", "DISQUALIFIED", "nope").get(random.nextInt(6)));
    if (random.nextBoolean()) {
      out.put("birthDate", random.nextBoolean() ? "1990-11-22" : "22/11/1990");
    }
    if (random.nextBoolean()) {
      out.put("createdAt", "2026-01-01T00:00:00.120Z");
    }
    out.put("companySize", random.nextInt(500));
    out.put("tags", Map.of("FINANCING_LEASING", 1 + random.nextInt(3), "X", random.nextBoolean() ? 1 : "two"));
    out.put("segments", random.nextBoolean() ? List.of("VIP") : List.of());
    out.put("consent", Map.of("email", random.nextBoolean()));
    out.put("ledger", List.of(Map.of("points", random.nextBoolean() ? 2000 : 12.5, "earnedAt", "2026-01-01T00:00:00Z",
        "expiresAt", random.nextBoolean() ? "2026-11-01T00:00:00Z" : "2027-12-01T00:00:00Z", "rule", "r0")));
    if (random.nextBoolean()) {
      out.put("enrollments", List.of(Map.of("campaign", "welcome", "active", true, "enrolledAt", "2026-11-01T00:00:00Z")));
    }
    out.put("alerts", Map.of("Hot lead", "2026-11-20T10:00:00Z"));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("industry", "automotive");
    attributes.put("budget", random.nextBoolean() ? 50_000 : 3_000_000_000L);
    attributes.put("ratio", 0.25);
    attributes.put("vip", true);
    attributes.put("list", List.of(1, "a", Map.of("deep", List.of())));
    attributes.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
    out.put("attributes", attributes);
    return out;
  }
}
