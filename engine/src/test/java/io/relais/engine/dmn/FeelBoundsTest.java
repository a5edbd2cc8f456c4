package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kie.dmn.api.core.DMNRuntime;

/**
 * A DMN file cannot exhaust the service (docs/language.md, "What a DMN file may compute"):
 * what could run without end, recurse, backtrack exponentially or fill the heap is a check
 * error at the {@code <text>} at fault, and what can be bounded is evaluated as before. The
 * checks run with a deadline: were a guard missing, the model would be accepted (and the
 * assertion fail), never evaluated here.
 */
class FeelBoundsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static final String RULES = """
      attribute contact.industry : text

      table "M" from "m.dmn"
        input "I" = contact.industry
        input "N" = contact.companySize
      end

      alert "Reads the model"
      when
        contact.score >= 0
      then
        notify "sales@example.com" with "{{decision 'T' of 'M'|none}}"
      end
      """;

  private static final String DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/";
  private static final String DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/";

  /** A model with the text input I and the number input N, whose decision T is {@code expression}. */
  static String model(String namespace, String expression, String more) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="%s" id="m" name="M"
            namespace="https://relais.example/dmn/m">
          <inputData id="i" name="I"><variable name="I" typeRef="string"/></inputData>
          <inputData id="n" name="N"><variable name="N" typeRef="number"/></inputData>
          <decision id="t" name="T">
            <variable name="T" typeRef="string"/>
            <informationRequirement id="t_ri"><requiredInput href="#i"/></informationRequirement>
            <informationRequirement id="t_rn"><requiredInput href="#n"/></informationRequirement>
        %s
          </decision>
        %s
        </definitions>
        """.formatted(namespace, expression, more);
  }

  static String model(String expression) {
    return model(DMN13, expression, "");
  }

  static String literal(String feel) {
    return "    <literalExpression id=\"t_le\"><text>" + feel + "</text></literalExpression>";
  }

  private static CheckResult check(String dmn) {
    return assertTimeoutPreemptively(DEADLINE, () -> RuleLanguage.check("m",
        List.of(new Source("m.dmn", dmn), new Source("m.rules", RULES))));
  }

  // ---- refused ----

  /** {@code f0(x) = x + 1}, {@code fk(x) = fk-1(x) + fk-1(x)}: 2^k calls, no recursion. */
  private static String doublingCalls(int k) {
    return "{f0: function(x) x + 1, "
        + IntStream.rangeClosed(1, k).mapToObj(i -> "f" + i + ": function(x) f" + (i - 1)
            + "(x) + f" + (i - 1) + "(x)").collect(Collectors.joining(", "))
        + ", r: string(f" + k + "(1))}.r";
  }

  /** {@code a: "xxxxxxxxxx"}, then each entry the previous one twice: 10 × 2^k characters. */
  private static String doublingText(int k) {
    return "{a0: \"xxxxxxxxxx\", "
        + IntStream.rangeClosed(1, k).mapToObj(i -> "a" + i + ": a" + (i - 1) + " + a" + (i - 1))
            .collect(Collectors.joining(", "))
        + "}.a" + k;
  }

  /** Decisions D1 = I + I, ..., each its predecessor twice, read by T: 2^k × the input. */
  private static String doublingDecisions(int k) {
    StringBuilder more = new StringBuilder();
    for (int i = 1; i <= k; i++) {
      String from = i == 1 ? "I" : "D" + (i - 1);
      String href = i == 1 ? "<requiredInput href=\"#i\"/>" : "<requiredDecision href=\"#d" + (i - 1) + "\"/>";
      more.append("""
            <decision id="d%d" name="D%d">
              <variable name="D%d" typeRef="string"/>
              <informationRequirement id="d%d_r">%s</informationRequirement>
              <literalExpression id="d%d_le"><text>%s + %s</text></literalExpression>
            </decision>
          """.formatted(i, i, i, i, href, i, from, from));
    }
    return model(DMN13, "    <informationRequirement id=\"t_rd\"><requiredDecision href=\"#d" + k
        + "\"/></informationRequirement>\n" + literal("string(string length(D" + k + "))"),
        more.toString());
  }

  /**
   * A business knowledge model {@code name(n)} whose logic is the FEEL {@code body}, requiring
   * the model {@code requires} (or none).
   */
  private static String bkm(String name, String body, String requires) {
    String requirement = requires == null ? "" : "<knowledgeRequirement id=\"" + name
        + "_k\"><requiredKnowledge href=\"#" + requires + "\"/></knowledgeRequirement>";
    return """
          <businessKnowledgeModel id="%s" name="%s">
            <variable name="%s"/>
            <encapsulatedLogic id="%s_logic" kind="FEEL">
              <formalParameter name="n" typeRef="number"/>
              <literalExpression id="%s_le"><text>%s</text></literalExpression>
            </encapsulatedLogic>
            %s
          </businessKnowledgeModel>
        """.formatted(name, name, name, name, name, body, requirement);
  }

  /** A decision T that calls the business knowledge model {@code name}, and the models. */
  private static String callingBkm(String call, String bkms) {
    return model(DMN13, """
            <knowledgeRequirement id="t_k"><requiredKnowledge href="#b0"/></knowledgeRequirement>
        """ + literal(call), bkms);
  }

  /** A DMN 1.5 boxed {@code for} over {@code in} returning {@code i}. */
  private static String boxedFor(String in) {
    return model(DMN15, """
            <context id="t_ctx">
              <contextEntry>
                <variable name="all"/>
                <for id="t_for" iteratorVariable="i">
                  <in><literalExpression id="t_in"><text>%s</text></literalExpression></in>
                  <return><literalExpression id="t_ret"><text>i</text></literalExpression></return>
                </for>
              </contextEntry>
              <contextEntry><literalExpression id="t_res"><text>string(count(all))</text></literalExpression></contextEntry>
            </context>""".formatted(in), "");
  }

  static Stream<Arguments> refused() {
    String recursion = Codes.DMN_RECURSION;
    String iteration = Codes.DMN_ITERATION;
    String regex = Codes.DMN_REGEX;
    String cost = Codes.DMN_COST;
    return Stream.of(
        // Recursion: every call is by name to a function of the file, and none reaches itself.
        Arguments.of("a function that calls itself", model(literal(
            "{f: function(n) if n = 0 then 0 else f(n - 1), r: string(f(100000000))}.r")),
            recursion, "<text>"),
        Arguments.of("functions that call each other", model(literal(
            "{a: function(n) if n = 0 then 0 else b(n - 1), b: function(n) a(n), r: string(a(9))}.r")),
            recursion, "<text>"),
        Arguments.of("a function passed to itself (no name refers to itself)", model(literal(
            "{g: function(h, n) if n = 0 then 0 else h(h, n - 1), r: string(g(g, 100000000))}.r")),
            recursion, "<text>"),
        Arguments.of("a function called through a parameter", model(literal(
            "{apply: function(h, x) h(x), r: string(apply(1, 2))}.r")), recursion, "<text>"),
        Arguments.of("a function called through a path", model(literal(
            "{c: {f: function(x) x}, r: string(c.f(2))}.r")), recursion, "<text>"),
        Arguments.of("sort with an ordering function", model(literal(
            "string(sort([3, 1, 2], function(a, b) a &lt; b))")), recursion, "<text>"),
        Arguments.of("a business knowledge model that calls itself", callingBkm("string(b0(5))",
            bkm("b0", "if n = 0 then 0 else b0(n - 1)", "b0")), recursion, "<text>if n = 0"),
        Arguments.of("invoke, which evaluates a model from the model", model(literal(
            "string(invoke(\"https://relais.example/dmn/m\", \"M\", \"T\", {I: I, N: N + 1}))")),
            cost, "<text>"),
        // Iteration: over ranges with literal ends, at most 10,000 values.
        Arguments.of("a for over 100,000,000 values", model(literal(
            "string(count(for i in 1..100000000 return i))")), iteration, "<text>"),
        Arguments.of("a for up to an input", model(literal(
            "string(count(for i in 1..N return i))")), iteration, "<text>"),
        Arguments.of("a for over a range value", model(literal(
            "{r: [1..100000000], x: string(count(for i in r return i))}.x")), iteration, "<text>"),
        Arguments.of("a some over 100,000,000 values", model(literal(
            "string(some i in 1..100000000 satisfies i &lt; 0)")), iteration, "<text>"),
        Arguments.of("an every over 100,000,000 values", model(literal(
            "string(every i in 0..100000000 satisfies i &gt;= 0)")), iteration, "<text>"),
        Arguments.of("a for over the parts of an input, doing work on each",
            model(literal("string join(for x in split(I, \",\") return upper case(x), \",\")")),
            iteration, "<text>"),
        Arguments.of("a filter of the parts of an input by a test on each",
            model(literal("string(count(split(I, \",\")[string length(item) &gt; 1]))")),
            iteration, "<text>"),
        Arguments.of("a boxed for over a range literal", boxedFor("[1..100000000]"), iteration,
            "<text>[1.."),
        Arguments.of("a boxed for over a range value", boxedFor("range(\"[1..100000000]\")"),
            iteration, "<text>range("),
        // Regular expressions: literal, no exponential backtracking, linear on the inputs.
        Arguments.of("catastrophic backtracking in matches", model(literal(
            "string(matches(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"(a+)+$\"))")),
            regex, "<text>"),
        Arguments.of("catastrophic backtracking in split (Java's engine, no limit)", model(literal(
            "string(count(split(I, \"(.*a){20}$\")))")), regex, "<text>"),
        Arguments.of("an alternation repeated in replace", model(literal(
            "replace(I, \"(a|aa)*b\", \"\")")), regex, "<text>"),
        Arguments.of("a back-reference", model(literal(
            "string(matches(I, \"(a)\\1\"))")), regex, "<text>"),
        Arguments.of("a pattern that is no literal", model(literal(
            "{p: \"x\", r: string(matches(I, p))}.r")), regex, "<text>"),
        Arguments.of("a pattern quadratic on an input", model(literal(
            "string(matches(I, \".*soft\"))")), regex, "<text>"),
        Arguments.of("Saxon's Java-regex flag", model(literal(
            "string(matches(I, \"soft\", \";j\"))")), regex, "<text>"),
        // Cost: steps and sizes, calls inlined.
        Arguments.of("nested loops of 10,000 each", model(literal(
            "string(count(for i in 1..10000, j in 1..10000 return 1))")), cost, "<text>"),
        Arguments.of("calls doubling at every level (2^20 calls, no recursion)", model(literal(
            doublingCalls(20))), cost, "<text>"),
        Arguments.of("a text doubled 30 times", model(literal(doublingText(30))), cost,
            "<text>"),
        Arguments.of("an input doubled through 12 decisions", doublingDecisions(12), cost,
            "<text>D6 + D6"),
        Arguments.of("a format mask of 100,000,000 characters", model(literal(
            "string(\"%100000000s\", \"x\")")), cost, "<text>"),
        Arguments.of("business knowledge models doubling their calls", callingBkm(
            "string(b0(1))", IntStream.range(0, 24).mapToObj(i -> i == 23 ? bkm("b23", "n + 1", null)
                : bkm("b" + i, "b" + (i + 1) + "(n) + b" + (i + 1) + "(n)", "b" + (i + 1)))
                .collect(Collectors.joining())), cost, "<text>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void whatCouldExhaustTheServiceIsACheckError(String how, String dmn, String code, String marker) {
    CheckResult checked = check(dmn);

    assertThat(checked.ruleset()).isEmpty();
    assertThat(checked.errors()).filteredOn(d -> d.span().file().equals("m.dmn"))
        .extracting(Diagnostic::code, d -> d.span().position())
        .containsExactly(Tuple.tuple(code, DmnRefusalsTest.at(dmn, marker)));
  }

  // ---- accepted, and evaluated as before ----

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("\"plain\"", "plain"),
        Arguments.of("string(sum(for i in 1..100 return i))", "5050"),
        Arguments.of("string(count(for i in 1..100, j in -49..50 return i * j))", "10000"),
        Arguments.of("string(count(for i in 1..10000 return i))", "10000"),
        Arguments.of("string(some x in [1, 2, 3] satisfies x &gt; 2)", "true"),
        Arguments.of("string(every x in 1..10 satisfies x &gt; 0)", "true"),
        Arguments.of("string(count([1, 2, 3, 4][item &gt; 2]))", "2"),
        Arguments.of("{f: function(x) x * 2, r: string(f(21))}.r", "42"),
        Arguments.of("{double: function(x) x * 2, quad: function(x) double(double(x)),"
            + " r: string(quad(N))}.r", "20"),
        Arguments.of(doublingCalls(10), "2048"),
        Arguments.of("upper case(I)", "SOFTWARE"),
        Arguments.of("if matches(I, \"^soft\") then \"yes\" else \"no\"", "yes"),
        Arguments.of("if matches(I, \"^s.*e$\") then \"yes\" else \"no\"", "yes"),
        Arguments.of("if matches(I, \"war\") then \"yes\" else \"no\"", "yes"),
        Arguments.of("replace(I, \"o\", \"0\")", "s0ftware"),
        Arguments.of("string join(split(I, \"t\"), \"-\")", "sof-ware"),
        Arguments.of("substring(I, 1, 4) + substring after(I, \"soft\")", "software"),
        Arguments.of("string(date(\"2026-11-22\") + duration(\"P1D\"))", "2026-11-23"),
        Arguments.of("string join(sort([\"b\", \"a\"]), \",\")", "a,b"),
        Arguments.of("string(list contains([\"software\", \"finance\"], I))", "true"),
        Arguments.of("{a: I + \"!\", b: a + a}.b", "software!software!"),
        Arguments.of("string(decimal(N / 3, 2))", "1.67"),
        Arguments.of("string(distinct values([1, 1, 2]))", "[ 1, 2 ]"),
        Arguments.of("string(string length(I)) + string(contains(I, \"ware\"))", "8true"),
        Arguments.of(doublingText(8), "x".repeat(2_560)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void whatCanBeBoundedIsEvaluatedAsBefore(String feel, String expected) {
    CheckResult checked = check(model(literal(feel)));

    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    Contact contact = DecisionTablesTest.contact("software", 5);
    Evaluation result = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1)
        .evaluate(contact, Optional.empty(), List.of(), NOW);
    assertThat(result.warnings()).isEmpty();
    assertThat(result.decisions()).map(Decision::json).singleElement()
        .satisfies(d -> assertThat(d.get("message").toString()).startsWith(
            expected.length() > 100 ? expected.substring(0, 100) : expected));
  }

  /** Boxed invocations, iterators and tables that can be bounded are evaluated as before. */
  @Test
  void boxedExpressionsThatCanBeBoundedAreEvaluated() {
    String dmn = model(DMN15, """
            <informationRequirement id="t_ru"><requiredDecision href="#u"/></informationRequirement>
            <knowledgeRequirement id="t_k"><requiredKnowledge href="#points"/></knowledgeRequirement>
            <context id="t_ctx">
              <contextEntry>
                <variable name="p"/>
                <invocation id="t_inv">
                  <literalExpression id="t_fn"><text>points</text></literalExpression>
                  <binding><parameter name="n"/><literalExpression id="t_arg"><text>N</text></literalExpression></binding>
                </invocation>
              </contextEntry>
              <contextEntry>
                <variable name="all"/>
                <for id="t_for" iteratorVariable="i">
                  <in><literalExpression id="t_in"><text>[1, 2, 3]</text></literalExpression></in>
                  <return><literalExpression id="t_ret"><text>i * p</text></literalExpression></return>
                </for>
              </contextEntry>
              <contextEntry><literalExpression id="t_res"><text>string(sum(all)) + U</text></literalExpression></contextEntry>
            </context>""", """
          <businessKnowledgeModel id="points" name="points">
            <variable name="points"/>
            <encapsulatedLogic id="points_logic" kind="FEEL">
              <formalParameter name="n" typeRef="number"/>
              <literalExpression id="points_le"><text>n * 2</text></literalExpression>
            </encapsulatedLogic>
          </businessKnowledgeModel>
          <decision id="u" name="U">
            <variable name="U" typeRef="string"/>
            <informationRequirement id="u_r"><requiredInput href="#i"/></informationRequirement>
            <decisionTable id="u_dt" hitPolicy="FIRST">
              <input id="u_in"><inputExpression id="u_ie" typeRef="string"><text>I</text></inputExpression></input>
              <output id="u_out"/>
              <rule id="u_1">
                <inputEntry id="u_1i"><text>matches(?, "^soft")</text></inputEntry>
                <outputEntry id="u_1o"><text>"A"</text></outputEntry>
              </rule>
              <rule id="u_2">
                <inputEntry id="u_2i"><text>-</text></inputEntry>
                <outputEntry id="u_2o"><text>"B"</text></outputEntry>
              </rule>
            </decisionTable>
          </decision>""");
    CheckResult checked = check(dmn);

    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    Evaluation result = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1)
        .evaluate(DecisionTablesTest.contact("software", 5), Optional.empty(), List.of(), NOW);
    assertThat(result.decisions()).map(Decision::json).singleElement()
        .satisfies(d -> assertThat(d).containsEntry("message", "60A"));
  }

  // ---- at run time ----

  /** Table "M" as the checker declares it, for models that never met the checker. */
  private static CheckedRuleset.Table declared() {
    CheckResult checked = check(model(literal("\"plain\"")));
    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    return checked.ruleset().orElseThrow().table("M").orElseThrow();
  }

  /** {@code dmn} evaluated unchecked: T's value, and the warnings. */
  private static List<Object> evaluateUnchecked(String dmn, long stack) throws Exception {
    CheckedRuleset.Table table = declared();
    var runtime = DmnModels.runtime(dmn);
    return evaluate(table, new DmnModels.Loaded(DmnModels.load(table.file()).model(), runtime,
        runtime.getModels().get(0)), stack);
  }

  /** Table "M" evaluated on {@code loaded} on a thread of {@code stack} bytes (0: the default). */
  private static List<Object> evaluate(CheckedRuleset.Table table, DmnModels.Loaded unchecked,
      long stack) throws Exception {
    Map<String, ValueFunction> inputs = new LinkedHashMap<>();
    inputs.put("I", (f, c) -> "software");
    inputs.put("N", (f, c) -> BigDecimal.ONE);
    TableEvaluator evaluator = new TableEvaluator(table, inputs, TableEvaluator.MAX_KNOWN, unchecked);
    ContactFacts facts = new ContactFacts(Contact.withId("c-1"), Optional.empty(), List.of(), NOW,
        ZoneOffset.UTC);
    CompletableFuture<List<Object>> done = new CompletableFuture<>();
    Thread thread = new Thread(null, () -> {
      try {
        Object value = evaluator.value(facts, "T");
        done.complete(java.util.Arrays.asList(value, facts.memo().warnings()));
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }, "dmn-small-stack", stack);
    thread.setDaemon(true);
    thread.start();
    return done.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Kogito turns any Throwable of a decision's evaluation into a failed decision; were a
   * StackOverflowError to leave its evaluateAll all the same (Kogito's own code around the
   * decisions overflowing), the table's decisions read as empty, with a warning: no error
   * reaches the rules, the evaluation or the client.
   */
  @Test
  void aStackOverflowThatLeavesKogitoIsAWarning() throws Exception {
    CheckedRuleset.Table table = declared();
    DMNRuntime real = DmnModels.runtime(model(literal("\"plain\"")));
    DMNRuntime overflowing = (DMNRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DMNRuntime.class}, (proxy, method, args) -> {
          if (method.getName().equals("evaluateAll")) {
            throw new StackOverflowError();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    DmnModels.Loaded loaded = new DmnModels.Loaded(DmnModels.load(table.file()).model(),
        overflowing, real.getModels().get(0));

    List<Object> evaluated = evaluate(table, loaded, 0);

    assertThat(evaluated.get(0)).isNull();
    assertThat(evaluated.get(1)).asList().singleElement().asString().isEqualTo(
        "m.dmn: table \"M\": evaluation failed (too deeply nested): its decisions read as empty");
  }

  /**
   * Kogito's messages can be long (they name decisions, quote values): a failed decision's
   * warning, which goes into every answer, quotes at most a few, each cut short.
   */
  @Test
  void aFailedDecisionsWarningIsShort() throws Exception {
    StringBuilder failing = new StringBuilder();
    StringBuilder requirements = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      String name = "D" + i + "x".repeat(1_000);
      failing.append("<decision id=\"d").append(i).append("\" name=\"").append(name)
          .append("\"><variable name=\"").append(name).append("\" typeRef=\"boolean\"/>")
          .append("<literalExpression><text>matches(\"a\", \"[\")</text></literalExpression>")
          .append("</decision>\n");
      requirements.append("<informationRequirement><requiredDecision href=\"#d").append(i)
          .append("\"/></informationRequirement>\n");
    }
    String dmn = model(DMN13, requirements + literal("\"never\""), failing.toString());

    List<Object> evaluated = evaluateUnchecked(dmn, 0);

    assertThat(evaluated.get(0)).isNull();
    assertThat(evaluated.get(1)).asList().singleElement().asString()
        .startsWith("m.dmn: table \"M\": decision \"T\" failed (").contains("; 2 more)")
        .hasSizeLessThan(TableEvaluator.MESSAGES_SHOWN * (TableEvaluator.MESSAGE_LENGTH + 10) + 200);
  }

  /** A decision of the wrong kind is quoted in its warning, cut short. */
  @Test
  void aDecisionOfTheWrongKindIsQuotedShort() throws Exception {
    String dmn = model(literal("for i in 1..20 return \"" + "x".repeat(1_000) + "\""));

    List<Object> evaluated = evaluateUnchecked(dmn, 0);

    assertThat(evaluated.get(0)).isNull();
    assertThat(evaluated.get(1)).asList().singleElement().asString()
        .startsWith("m.dmn: table \"M\": decision \"T\" gave [").endsWith(", not text: read as empty")
        .hasSizeLessThan(TableEvaluator.MESSAGE_LENGTH + 200);
  }
}
