package io.relais.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.EvaluationJson;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.testing.JsonSamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Evaluation#toJson(TraceMode)} (the decision answered and stored with every event, written
 * by hand) is exactly what the object mapper's {@code convertValue} gives for the evaluation with
 * that part of its trace ({@link TraceMode#NONE}: without the field): the same Java map,
 * value classes and field order included, and the same JSON text. Over the sample rulesets of
 * rules/ and generated rulesets, on generated contacts and events, with decisions of every
 * type (suppressed ones too) and warnings. A field dropped or renamed by the hand mapping fails.
 * The answer {@link EvaluationJson} streams is the same JSON text, byte for byte.
 */
class EvaluationJsonEquivalenceTest {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final List<Instant> NOWS = List.of(NOW, NOW.plusNanos(123_456_789),
      Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"));
  private static final int GENERATED_RULESETS = 300;

  private final ObjectMapper json = JsonSamples.storeMapper();

  /** What the run saw, so that the assertions can say it covered every shape. */
  private final Set<Decision.Type> types = EnumSet.noneOf(Decision.Type.class);
  private final Set<String> suppressedOf = new LinkedHashSet<>();
  private int withWarnings;
  private int evaluations;

  @Test
  void sampleRulesetsDecideTheSameJsonByHandAsByTheMapper() throws IOException {
    Random random = new Random(17);
    JsonSamples samples = new JsonSamples(random);
    for (Path folder : samples()) {
      CheckResult checked = RuleLanguage.check(RuleLanguage.load(folder));
      CompiledRuleset rules = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
      for (int i = 0; i < 300; i++) {
        Contact contact = switch (i % 4) {
          case 0 -> samples.contact();
          case 1 -> samples.contactFromJson();
          default -> customer(random);
        };
        Optional<Event> event = i % 7 == 0 ? Optional.empty() : Optional.of(trigger(random, samples));
        List<Event> history = i % 3 == 0 ? List.of() : history(random, samples);
        compare(rules.evaluate(contact, event, history, NOWS.get(i % 11 == 0 ? i % 4 : 0)));
      }
    }
    assertThat(types).as("decision types seen").contains(Decision.Type.TAG, Decision.Type.SCORE,
        Decision.Type.STAGE, Decision.Type.SEGMENT_ADD, Decision.Type.ALERT, Decision.Type.MESSAGE,
        Decision.Type.ENROLL, Decision.Type.POINTS, Decision.Type.SUPPRESSED);
    System.out.printf("evaluation json: %d sample evaluations, types %s, suppressed %s, %d with"
        + " warnings%n", evaluations, types, suppressedOf, withWarnings);
  }

  @Test
  void generatedRulesetsDecideTheSameJsonByHandAsByTheMapper() throws IOException {
    Random random = new Random(19);
    JsonSamples samples = new JsonSamples(random);
    Source fitGrid = new Source("fit-grid.dmn",
        Files.readString(Path.of("..", "rules", "b2b-qualification", "fit-grid.dmn")));
    for (int i = 0; i < GENERATED_RULESETS; i++) {
      RulesetGenerator generator = new RulesetGenerator(random,
          i % 10 == 9 ? RulesetGenerator.Shape.MIXED : RulesetGenerator.Shape.SMALL);
      String text = generator.ruleset();
      List<Source> sources = generator.readsTable()
          ? List.of(new Source("fuzz.rules", text), fitGrid) : List.of(new Source("fuzz.rules", text));
      CheckResult checked = RuleLanguage.check("fuzz", sources);
      if (checked.ruleset().isEmpty()) {
        continue;
      }
      CompiledRuleset rules = CompiledRuleset.compile(checked.ruleset().get(), 1);
      PipelineFuzzTest.DataGenerator data = new PipelineFuzzTest.DataGenerator(random);
      for (int j = 0; j < 4; j++) {
        Contact contact = switch (j) {
          case 0 -> data.contact();
          case 1 -> samples.contact();
          case 2 -> samples.contactFromJson();
          default -> customer(random);
        };
        Optional<Event> event = j == 3 ? Optional.of(trigger(random, samples)) : data.event();
        compare(rules.evaluate(contact, event, data.history(), NOWS.get(random.nextInt(10) == 0 ? 2 + random.nextInt(2) : 0)));
      }
    }
    assertThat(types).as("decision types seen").containsAll(EnumSet.allOf(Decision.Type.class));
    assertThat(suppressedOf).as("suppressed decisions of").contains("MESSAGE", "ENROLL", "ALERT", "REWARD");
    assertThat(withWarnings).isPositive();
    System.out.printf("evaluation json: %d generated evaluations, types %s, suppressed %s, %d with"
        + " warnings%n", evaluations, types, suppressedOf, withWarnings);
  }

  /**
   * Rule names, constants and compared values with characters JSON escapes, non-ASCII text (of
   * the basic plane and beyond it), slashes, a "why" longer than the trace keeps: the answer is
   * the map's bytes with the store's mapper (whose UTF-8 generator is given the trace text as
   * bytes) and with mappers whose generators escape otherwise (given strings), pretty or not.
   */
  @Test
  void textThatNeedsEscapesIsWrittenAsTheMapperWritesIt() throws IOException {
    String rules = """
        scoring "Ünïcode \\"quoted\\" \\\\ 😀 é"
        when event is page_visit and event.title is not empty
        then add 1 to score
        end
        scoring "Titled"
        when event is page_visit and event.title != "q\\"\\\\\\n\\té\\u007f/ \\u000d\\u0008\\u000c"
          and event.title != "never"
        then add 1 to score
        end
        scoring "Titled 😀"
        when event is page_visit and event.title != "😀\\u0001" and event.title != "never"
        then add 1 to score
        end
        scoring "Accented url"
        when event is page_visit and (event.url matches "/é/**" or event.url matches "/\\"q\\"/**"
          or event.url matches "/plain/**" or event.url matches "/😀/**")
        then add 1 to score
        end
        scoring "Tagged"
        when has tag "plain" or has tag "é\\"ü"
        then add 1 to score
        end
        scoring "Tagged 😀"
        when has tag "😀" or has tag "plain" or has tag "é\\"ü"
        then add 1 to score
        end
        scoring "Never"
        when event is page_visit and event.title = "never ü"
        then add 1 to score
        end
        """;
    CheckResult checked = RuleLanguage.check("escapes", List.of(new Source("escapes.rules", rules)));
    CompiledRuleset compiled = CompiledRuleset.compile(checked.ruleset().orElseThrow(
        () -> new AssertionError(checked.diagnostics())), 1);
    List<String> titles = List.of("plain", "é ü ß — ĳ ∑", "😀 emoji", "ctl \u0001 x", "a/b/c <>&'",
        "q\"b\\c\nd\te\rf\bg\fh\u007f", "x".repeat(5000), "é".repeat(3000), "😀".repeat(2100), "\ud800 lone");
    List<String> urls = List.of("/é/x", "/😀/y", "/\"q\"/z", "/plain/p");
    List<ObjectMapper> mappers = List.of(json,
        JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build(),
        JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build(),
        JsonMapper.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build(),
        JsonMapper.builder().disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).build(),
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build(),
        new ObjectMapper(new JsonFactoryBuilder().characterEscapes(new LessThanEscaped()).build()));
    int written = 0;
    for (int i = 0; i < titles.size() * urls.size(); i++) {
      Contact contact = Contact.builder().id("c-" + i).tags(Map.of(i % 2 == 0 ? "é\"ü" : "plain", 1)).build();
      Event event = new Event("e-" + i, "page_visit", NOW,
          Map.of("title", titles.get(i % titles.size()), "url", urls.get(i % urls.size())));
      Evaluation evaluation = compiled.evaluate(contact, Optional.of(event), List.of(), NOW);
      Map<TraceMode, EvaluationJson> answers = answers(evaluation, List.of());
      assertThat(evaluation.firedRules()).contains("Tagged", "Accented url");
      for (TraceMode mode : TraceMode.values()) {
        Map<String, Object> byHand = evaluation.toJson(mode);
        for (ObjectMapper mapper : mappers) {
          EvaluationJson answer = answers.get(mode);
          assertThat(written(() -> mapper.writeValueAsBytes(answer)))
              .isEqualTo(written(() -> mapper.writeValueAsBytes(byHand)));
          assertThat(written(() -> mapper.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8)))
              .isEqualTo(written(() -> mapper.writeValueAsString(byHand).getBytes(StandardCharsets.UTF_8)));
          written++;
        }
      }
    }
    assertThat(written).isEqualTo(titles.size() * urls.size() * TraceMode.values().length * mappers.size());
  }

  private interface Writing {
    byte[] write() throws IOException;
  }

  /**
   * What a mapper writes, as text, or the error it throws (a lone surrogate is an error for a
   * generator that combines surrogates): the answer must do the same as the map.
   */
  private static String written(Writing writing) {
    try {
      return new String(writing.write(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "error: " + e.getClass().getName() + ": " + e.getMessage();
    }
  }

  /**
   * Escapes {@code <} as {@code \\u003C}, as some services do against HTML injection, and {@code
   * :} (which instants have).
   */
  private static final class LessThanEscaped extends CharacterEscapes {
    private final int[] escapes = standardAsciiEscapesForJSON();

    LessThanEscaped() {
      escapes['<'] = ESCAPE_STANDARD;
      escapes[':'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }

  /**
   * The answers of {@code evaluation} in every mode, made before anything else reads its trace:
   * reading it ({@code toJson}) keeps its entries' text as strings, which an answer made after
   * writes as they are; made before, the answers write their fired rules' text from the recorded
   * steps, as the service's do.
   */
  private static Map<TraceMode, EvaluationJson> answers(Evaluation evaluation, List<String> moreWarnings) {
    Map<TraceMode, EvaluationJson> answers = new EnumMap<>(TraceMode.class);
    for (TraceMode mode : TraceMode.values()) {
      answers.put(mode, EvaluationJson.answer(evaluation, mode, moreWarnings));
    }
    return answers;
  }

  private void compare(Evaluation evaluation) throws JsonProcessingException {
    Map<TraceMode, EvaluationJson> answers = answers(evaluation, List.of());
    Map<TraceMode, EvaluationJson> warnedAnswers = answers(evaluation, List.of("store: \"slow\" \u2013 é"));
    for (TraceMode mode : TraceMode.values()) {
      Map<String, Object> byHand = evaluation.toJson(mode);
      Evaluation sized = new Evaluation(evaluation.contactId(), evaluation.ruleset(), evaluation.version(),
          evaluation.now(), evaluation.decisions(), evaluation.contact(), evaluation.warnings(),
          evaluation.trace(mode), evaluation.resultingContact());
      Map<String, Object> byMapper = json.convertValue(sized, MAP);
      if (mode == TraceMode.NONE) {
        byMapper.remove("trace");
      }
      assertThat(byHand).isEqualTo(byMapper);
      assertThat(deepClasses(byHand)).isEqualTo(deepClasses(byMapper));
      assertThat(json.writeValueAsString(byHand)).isEqualTo(json.writeValueAsString(byMapper));
      // The answer streamed by EvaluationJson is that text, byte for byte, with the caller's
      // warnings after the evaluation's own.
      assertThat(json.writeValueAsBytes(answers.get(mode))).isEqualTo(json.writeValueAsBytes(byHand));
      Map<String, Object> warned = new LinkedHashMap<>(byHand);
      List<Object> warnings = new ArrayList<>(evaluation.warnings());
      warnings.add("store: \"slow\" \u2013 é");
      warned.put("warnings", warnings);
      assertThat(json.writeValueAsString(warnedAnswers.get(mode))).isEqualTo(json.writeValueAsString(warned));
      assertThat(json.writeValueAsBytes(warnedAnswers.get(mode))).isEqualTo(json.writeValueAsBytes(warned));
      // Every field of the evaluation, of the state and of a trace entry is there.
      if (mode == TraceMode.NONE) {
        assertThat(byHand.keySet()).containsExactly("contactId", "ruleset", "version", "now", "decisions",
            "contact", "warnings");
      } else {
        assertThat(byHand.keySet()).containsExactly("contactId", "ruleset", "version", "now", "decisions",
            "contact", "warnings", "trace");
      }
    }
    evaluations++;
    evaluation.decisions().forEach(d -> {
      types.add(d.type());
      if (d.type() == Decision.Type.SUPPRESSED) {
        suppressedOf.add(String.valueOf(d.field("of")));
      }
    });
    withWarnings += evaluation.warnings().isEmpty() ? 0 : 1;
  }

  /** A contact the sample rules act on: consent, points, an owner, tags, now and then none. */
  private static Contact customer(Random random) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", "c-" + random.nextInt(100));
    json.put("firstName", "Jean");
    if (random.nextBoolean()) {
      json.put("owner", "marc@acme.fr");
    }
    json.put("score", random.nextInt(200));
    json.put("stage", List.of("SUBSCRIBER", "LEAD", "MQL", "SQL", "CUSTOMER").get(random.nextInt(5)));
    json.put("birthDate", "1990-11-22");
    json.put("companySize", 10 + random.nextInt(500));
    json.put("country", random.nextBoolean() ? "FR" : "DE");
    json.put("tags", Map.of("FINANCING_LEASING", 1 + random.nextInt(3), "VIP", 1));
    json.put("segments", List.of("VIP"));
    json.put("consent", Map.of("email", random.nextBoolean()));
    List<Object> ledger = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      ledger.add(Map.of("points", 100 + random.nextInt(3000), "earnedAt", "2026-01-01T00:00:00Z",
          "expiresAt", random.nextBoolean() ? "2026-11-01T00:00:00Z" : "2027-12-01T00:00:00Z",
          "rule", "r0"));
    }
    json.put("ledger", ledger);
    if (random.nextBoolean()) {
      json.put("enrollments", List.of(Map.of("campaign", "welcome", "active", true,
          "enrolledAt", "2026-11-01T00:00:00Z")));
    }
    json.put("attributes", Map.of("industry", "automotive", "budget", 50_000, "vip", true));
    return Contact.fromJson(json);
  }

  private static Event trigger(Random random, JsonSamples samples) {
    List<Event> triggers = List.of(
        new Event("e-1", "page_visit", NOW, Map.of("url", "/financing/leasing/offers", "seconds", 40)),
        new Event("e-2", "purchase", NOW, Map.of("amount", "1200.50", "items", 3)),
        new Event("e-3", "cart_update", NOW, Map.of("value", 80, "items", 2)),
        new Event("e-4", "email_open", NOW, Map.of("campaign", "x")),
        new Event("e-5", "form_submit", NOW, Map.of("form", "demo")),
        new Event("e-6", "daily", NOW, Map.of()),
        new Event("e-7", "purchase", NOW, Map.of("amount", 99_999)),
        samples.event(List.of("page_visit", "purchase", "email_click", "webinar").get(random.nextInt(4)), NOW));
    return triggers.get(random.nextInt(triggers.size()));
  }

  private static List<Event> history(Random random, JsonSamples samples) {
    List<Event> events = new ArrayList<>(List.of(
        new Event("h-1", "purchase", NOW.minus(Duration.ofDays(40)), Map.of("amount", 700)),
        new Event("h-2", "purchase", NOW.minus(Duration.ofDays(100)), Map.of("amount", "450")),
        new Event("h-3", "page_visit", NOW.minus(Duration.ofDays(1)),
            Map.of("url", "/financing/leasing/offers"))));
    for (int i = random.nextInt(4); i > 0; i--) {
      events.add(samples.event("page_visit", NOW.minus(Duration.ofHours(random.nextInt(2000)))));
    }
    return events;
  }

  private static List<Path> samples() throws IOException {
    try (Stream<Path> list = Files.list(Path.of("..", "rules"))) {
      return list.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().equals("src") && !p.getFileName().toString().equals("target"))
          .sorted().toList();
    }
  }

  /** The value with each leaf replaced by its class name, maps by their entries in order. */
  private static Object deepClasses(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<Object> out = new ArrayList<>();
      map.forEach((k, v) -> out.add(List.of(String.valueOf(k), String.valueOf(deepClasses(v)))));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(EvaluationJsonEquivalenceTest::deepClasses).toList();
    }
    return value == null ? "null" : value.getClass().getName();
  }
}
