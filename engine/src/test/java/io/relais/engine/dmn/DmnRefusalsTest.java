package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DMN files never run code or reach the network (docs/language.md, "Decision tables (DMN)"):
 * external functions, doctypes, entities, XInclude and imports are check errors at the element
 * that holds them, and the runtime refuses an external function that got past the checker.
 */
class DmnRefusalsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  /** An external function of {@link Tripwire}: calling it, or loading the class, counts. */
  private static final String TRIP = "{java: {class: \"io.relais.engine.dmn.Tripwire\","
      + " method signature: \"fire(java.lang.String)\"}}";

  private static final String RULES = """
      table "M" from "m.dmn"
        input "I" = contact.score
      end

      alert "Reads the model"
      when
        contact.score >= 0
      then
        notify "sales@example.com" with "{{decision 'T' of 'M'|none}}"
      end
      """;

  /** A model whose decision {@code T} (a string) is {@code expression}, with {@code more} after it. */
  static String model(String expression, String more) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="m" name="M"
            namespace="https://relais.example/dmn/m">
          <inputData id="i" name="I"><variable name="I" typeRef="number"/></inputData>
          <decision id="t" name="T">
            <variable name="T" typeRef="string"/>
            <informationRequirement id="t_r"><requiredInput href="#i"/></informationRequirement>
        %s
          </decision>
        %s
        </definitions>
        """.formatted(expression, more);
  }

  static String literal(String feel) {
    return "    <literalExpression id=\"t_le\"><text>" + feel + "</text></literalExpression>";
  }

  /** A decision table of one row whose input entry and output entry are given. */
  static String table(String inputEntry, String outputEntry) {
    return """
            <decisionTable id="t_dt" hitPolicy="UNIQUE">
              <input id="t_in"><inputExpression id="t_ie" typeRef="number"><text>I</text></inputExpression></input>
              <output id="t_out"/>
              <rule id="t_1">
                <inputEntry id="t_1i"><text>%s</text></inputEntry>
                <outputEntry id="t_1o"><text>%s</text></outputEntry>
              </rule>
            </decisionTable>""".formatted(inputEntry, outputEntry);
  }

  /** The body of a function definition of kind Java: {@link Tripwire#fire}, by class and method. */
  private static final String JAVA_BODY = """
      <formalParameter name="k" typeRef="string"/>
      <context>
        <contextEntry><variable name="class"/><literalExpression><text>"io.relais.engine.dmn.Tripwire"</text></literalExpression></contextEntry>
        <contextEntry><variable name="method signature"/><literalExpression><text>"fire(java.lang.String)"</text></literalExpression></contextEntry>
      </context>""";

  /** A business knowledge model {@code fire} whose logic is of {@code kind}, read by T. */
  static String bkm(String kind) {
    return model("""
            <knowledgeRequirement id="t_k"><requiredKnowledge href="#fire"/></knowledgeRequirement>
        """ + literal("fire(\"x\")"), """
          <businessKnowledgeModel id="fire" name="fire">
            <variable name="fire"/>
            <encapsulatedLogic id="fire_logic" kind="%s">
        %s
            </encapsulatedLogic>
          </businessKnowledgeModel>""".formatted(kind, JAVA_BODY));
  }

  private static CheckResult check(String dmn) {
    return RuleLanguage.check("m", List.of(new Source("m.dmn", dmn), new Source("m.rules", RULES)));
  }

  /** Where the first {@code marker} of {@code text} starts, as a diagnostic shows it. */
  static String at(String text, String marker) {
    int offset = text.indexOf(marker);
    assertThat(offset).as("marker %s", marker).isNotNegative();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return SourceSpan.at("m.dmn", line, offset - lineStart + 1).position();
  }

  // ---- external functions: check errors ----

  /** The issue's probe: a template read a model that returned the server's PATH. */
  @Test
  void theProbeOfTheIssueIsACheckErrorAndRunsNothing() {
    String dmn = model(literal("{f: function(k) external {java: {class: \"java.lang.System\","
        + " method signature: \"getenv(java.lang.String)\"}}, r: f(\"PATH\")}.r"), "");
    int tripped = Tripwire.Hits.COUNT.get();

    CheckResult checked = check(dmn);

    assertThat(checked.ruleset()).isEmpty();
    assertThat(checked.errors()).filteredOn(d -> d.span().file().equals("m.dmn")).singleElement()
        .satisfies(d -> {
          assertThat(d.code()).isEqualTo(Codes.DMN_EXTERNAL_FUNCTION);
          assertThat(d.span().position()).isEqualTo(at(dmn, "<text>{f: function"));
          assertThat(d.message()).startsWith("external functions are not allowed in a DMN file");
        });
    assertThat(Tripwire.Hits.COUNT.get()).isEqualTo(tripped);
  }

  static Stream<Arguments> externalFunctions() {
    return Stream.of(
        Arguments.of("an escaped letter", model(literal(
            "{f: function(k) &#x65;xternal " + TRIP + ", r: f(\"x\")}.r"), ""), "<text>{f:"),
        Arguments.of("a FEEL comment", model(literal(
            "{f: function(k) /* not FEEL */ external " + TRIP + ", r: f(\"x\")}.r"), ""), "<text>{f:"),
        Arguments.of("lines, tabs and a line comment", model(literal(
            "{f: function\n\t( k )\t// the Java one\n\texternal\n" + TRIP + ", r: f(\"x\")}.r"), ""),
            "<text>{f:"),
        Arguments.of("CDATA", model(literal(
            "<![CDATA[{f: function(k) external " + TRIP + ", r: f(\"x\")}.r]]>"), ""), "<text><![CDATA["),
        Arguments.of("an XML comment inside the keyword", model(literal(
            "{f: function(k) ext<!-- split -->ernal " + TRIP + ", r: f(\"x\")}.r"), ""), "<text>{f:"),
        Arguments.of("typed parameters, nested in a list and contexts", model(literal(
            "[{a: {g: function(k: string, h: function&lt;string&gt;->string) external " + TRIP
                + "}}][1].a.g(\"x\", null)"), ""), "<text>[{a:"),
        Arguments.of("PMML", model(literal(
            "{f: function(k) external {pmml: {document: \"m.pmml\", model: \"m\"}}, r: f(1)}.r"), ""),
            "<text>{f:"),
        Arguments.of("a decision table's output entry", model(table("&gt; 0",
            "(function(k) external " + TRIP + ")(\"x\")"), ""), "<text>(function"),
        Arguments.of("a decision table's input entry", model(table(
            "&gt; (function(k) external " + TRIP + ")(\"1\")", "\"y\""), ""), "<text>&gt; (function"),
        Arguments.of("a Java business knowledge model", bkm("Java"), "<encapsulatedLogic"),
        Arguments.of("a PMML business knowledge model", bkm("PMML"), "<encapsulatedLogic"),
        Arguments.of("kind spelt java", bkm(" java "), "<encapsulatedLogic"),
        Arguments.of("a Java function in a boxed context", model("""
                <context id="t_ctx">
                  <contextEntry>
                    <variable name="f"/>
                    <functionDefinition id="t_fd" kind="Java">
            %s
                    </functionDefinition>
                  </contextEntry>
                  <contextEntry><literalExpression><text>f("x")</text></literalExpression></contextEntry>
                </context>""".formatted(JAVA_BODY), ""), "<functionDefinition"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("externalFunctions")
  void anExternalFunctionIsACheckErrorAtTheElementThatHoldsIt(String how, String dmn, String marker) {
    int tripped = Tripwire.Hits.COUNT.get();

    CheckResult checked = check(dmn);

    assertThat(checked.ruleset()).isEmpty();
    assertThat(checked.errors()).filteredOn(d -> d.span().file().equals("m.dmn"))
        .extracting(Diagnostic::code, d -> d.span().position())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Codes.DMN_EXTERNAL_FUNCTION,
            at(dmn, marker)));
    assertThat(Tripwire.Hits.COUNT.get()).as("Java ran while checking").isEqualTo(tripped);
  }

  /** FEEL functions, and the words in strings, are not external functions. */
  @Test
  void feelFunctionsAndTheWordExternalInTextArePlainFeel() {
    String dmn = model(literal("{f: function(k) k + \" is not function(k) external\", r: f(\"this\")}.r"), "");

    CheckResult checked = check(dmn);

    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    Evaluation result = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1)
        .evaluate(Contact.withId("c-1"), Optional.empty(), List.of(), NOW);
    assertThat(result.decisions()).map(Decision::json).singleElement()
        .satisfies(d -> assertThat(d).containsEntry("message", "this is not function(k) external"));
  }

  static Stream<Arguments> javaProperties() {
    return Stream.of(
        Arguments.of("the class of a text", "\"abc\".class.name", "class"),
        Arguments.of("the class loader of a function", "(function(x) x).class.classLoader.name", "class"),
        Arguments.of("a getter spelt out, across a comment", "\"abc\" . /* a getter */ getClass", "getClass"),
        Arguments.of("a capital", "\"abc\".Class", "Class"),
        Arguments.of("a function's evaluation context",
            "string((function(x) x).evaluationContext)", "evaluationContext"),
        Arguments.of("a method giving a stream", "count(\"a\\nb\".lines)", "lines"),
        Arguments.of("a context entry named like a getter", "{class: \"A\"}.class", "class"));
  }

  /**
   * On a value that is no context, Kogito reads {@code .name} by calling a Java method: paths
   * that could give more than a text, a number or a boolean are refused.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javaProperties")
  void aPathThatWouldCallJavaIsACheckError(String how, String feel, String name) {
    String dmn = model(literal(feel), "");

    CheckResult checked = check(dmn);

    assertThat(checked.errors()).filteredOn(d -> d.span().file().equals("m.dmn")).singleElement()
        .satisfies(d -> {
          assertThat(d.code()).isEqualTo(Codes.DMN_JAVA_PROPERTY);
          assertThat(d.span().position()).isEqualTo(at(dmn, "<text>"));
          assertThat(d.message()).startsWith("`." + name + "` is not allowed in a DMN file");
        });
  }

  /** Paths into contexts, dates, durations and ranges, and the names texts share, are FEEL. */
  @Test
  void pathsIntoContextsDatesAndRangesArePlainFeel() {
    String dmn = model(literal("string({name: \"x\", size: {value: 2}}.size.value"
        + " + date(\"2026-11-22\").year + duration(\"P2D\").days + [1..4].end) + {a: {name: \"!\"}}.a.name"), "");

    CheckResult checked = check(dmn);

    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    Evaluation result = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1)
        .evaluate(Contact.withId("c-1"), Optional.empty(), List.of(), NOW);
    assertThat(result.decisions()).map(Decision::json).singleElement()
        .satisfies(d -> assertThat(d).containsEntry("message", "2034!"));
  }

  // ---- external functions: refused at run time too ----

  /** The declaration of table "M" with decision T, from a model that never calls out. */
  private static CheckedRuleset.Table declared() {
    CheckResult checked = check(model(literal("\"plain\""), ""));
    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    return checked.ruleset().orElseThrow().table("M").orElseThrow();
  }

  static Stream<Arguments> unscreened() {
    return Stream.of(
        Arguments.of("the issue's getenv", model(literal("{f: function(k) external {java: {class:"
            + " \"java.lang.System\", method signature: \"getenv(java.lang.String)\"}}, r: f(\"PATH\")}.r"), "")),
        Arguments.of("a literal expression", model(literal("{f: function(k) external " + TRIP
            + ", r: f(\"x\")}.r"), "")),
        Arguments.of("a table cell", model(table("&gt; 0", "(function(k) external " + TRIP
            + ")(\"x\")"), "")));
  }

  /**
   * Defence in depth: a model that never met the checker is evaluated with a runtime that loads
   * no class, so its external function fails (no class loaded, initialized or called) and the
   * decision reads as empty with a warning.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unscreened")
  void theRuntimeRefusesAnExternalFunctionThatGotPastTheChecker(String how, String dmn) {
    int tripped = Tripwire.Hits.COUNT.get();
    var runtime = DmnModels.runtime(dmn);
    CheckedRuleset.Table table = declared();
    DmnModels.Loaded unscreened = new DmnModels.Loaded(DmnModels.load(table.file()).model(),
        runtime, runtime.getModels().get(0));
    Map<String, ValueFunction> inputs = Map.of("I", (f, c) -> BigDecimal.ONE);
    TableEvaluator evaluator = new TableEvaluator(table, inputs, TableEvaluator.MAX_KNOWN, unscreened);
    ContactFacts facts = new ContactFacts(Contact.withId("c-1"), Optional.empty(), List.of(), NOW,
        ZoneOffset.UTC);

    Object value = evaluator.value(facts, "T");

    assertThat(value).isNull();
    assertThat(facts.memo().warnings()).singleElement().asString()
        .startsWith("m.dmn: table \"M\": decision \"T\" failed").endsWith("read as empty")
        .doesNotContain(System.getenv().getOrDefault("PATH", "\u0000"));
    assertThat(Tripwire.Hits.COUNT.get()).as("Java ran").isEqualTo(tripped);
  }

  /** Kogito's validator and runtime, given a Java function unscreened, load no class either. */
  @Test
  void theValidatorAndTheRuntimeCompileAJavaFunctionWithoutLoadingItsClass() {
    int tripped = Tripwire.Hits.COUNT.get();

    DmnModels.Loaded loaded = DmnModels.compile(new Source("m.dmn", bkm("Java")));

    assertThat(loaded.runtime()).isNull();
    assertThat(loaded.model().diagnostics()).extracting(Diagnostic::message)
        .anySatisfy(m -> assertThat(m).contains("a DMN model loads no Java class"));
    assertThat(Tripwire.Hits.COUNT.get()).as("Java ran").isEqualTo(tripped);
  }

  // ---- nothing fetched ----

  /** A web server that counts requests and never answers them. */
  private static HttpServer server;
  private static final AtomicInteger HITS = new AtomicInteger();
  private static final ExecutorService CHECKS = Executors.newCachedThreadPool();

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> HITS.incrementAndGet()); // no answer, ever
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
    CHECKS.shutdownNow();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  /** The fit grid with {@code declaration} after its XML declaration. */
  private static String withDoctype(String declaration) {
    return DecisionTablesTest.fitGrid().replace(PROLOG, PROLOG + declaration + "\n");
  }

  /** The fit grid with {@code element} first in its definitions. */
  private static String withElement(String element) {
    return DecisionTablesTest.fitGrid().replace("  <itemDefinition", "  " + element + "\n  <itemDefinition");
  }

  static Stream<Arguments> externalResources() {
    return Stream.of(
        Arguments.of("a DTD at a URL", withDoctype(
            "<!DOCTYPE definitions SYSTEM \"" + url("/x.dtd") + "\">"), "<!DOCTYPE"),
        Arguments.of("a public DTD", withDoctype(
            "<!DOCTYPE definitions PUBLIC \"-//Relais//Probe//EN\" \"" + url("/p.dtd") + "\">"), "<!DOCTYPE"),
        Arguments.of("a parameter entity at a URL", withDoctype(
            "<!DOCTYPE definitions [<!ENTITY % p SYSTEM \"" + url("/e.dtd") + "\"> %p;]>"), "<!DOCTYPE"),
        Arguments.of("an external entity in a file", withDoctype(
            "<!DOCTYPE definitions [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>").replace(
                "<text>\"software\",\"finance\"</text>", "<text>&x;</text>"), "<!DOCTYPE"),
        Arguments.of("an internal entity", withDoctype(
            "<!DOCTYPE definitions [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"), "<!DOCTYPE"),
        Arguments.of("a DMN import from a URL", withElement("<import namespace=\"https://x/other\" name=\"o\""
            + " locationURI=\"" + url("/o.dmn") + "\" importType=\"https://www.omg.org/spec/DMN/20191111/MODEL/\"/>"),
            "<import"),
        Arguments.of("a PMML import", withElement("<import namespace=\"https://x/p\" name=\"p\" locationURI=\""
            + url("/m.pmml") + "\" importType=\"http://www.dmg.org/PMML4_4\"/>"), "<import"),
        Arguments.of("a DMN import of a file beside it", withElement("<import namespace=\"https://x/f\""
            + " name=\"f\" locationURI=\"names.dmn\" importType=\"https://www.omg.org/spec/DMN/20191111/MODEL/\"/>"),
            "<import"),
        Arguments.of("XInclude", withElement("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\""
            + url("/i.xml") + "\"/>"), "<xi:include"));
  }

  private CheckResult checkPromptly(String dmn) throws Exception {
    Future<CheckResult> checked = CHECKS.submit(() -> RuleLanguage.check("m", List.of(
        new Source("m.dmn", dmn))));
    // A deadline, not a measure: a parser waiting on the server that never answers never returns.
    return checked.get(60, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("externalResources")
  void whatWouldReadAFileOrAUrlIsRefusedAndNothingIsFetched(String how, String dmn, String marker)
      throws Exception {
    int hits = HITS.get();

    CheckResult checked = checkPromptly(dmn);

    assertThat(checked.errors()).extracting(Diagnostic::code, d -> d.span().position())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Codes.DMN_EXTERNAL_RESOURCE,
            at(dmn, marker)));
    assertThat(checked.errors()).extracting(Diagnostic::message)
        .noneSatisfy(m -> assertThat(m).contains("root:"));
    assertThat(HITS.get()).as("requests to the server").isEqualTo(hits);
  }

  @Test
  void theDoctypeDiagnosticSaysWhatToRemove() throws Exception {
    CheckResult checked = checkPromptly(withDoctype(
        "<!DOCTYPE definitions SYSTEM \"" + url("/x.dtd") + "\">"));

    assertThat(checked.errors()).extracting(Diagnostic::render).containsExactly(
        "m.dmn:2:1: error: a DOCTYPE is not allowed in a DMN file: a DTD can make the service read"
            + " a file or a URL; remove the <!DOCTYPE ...> declaration");
  }

  /** Schema hints are no imports: the validator checks against its own schemas, fetching none. */
  @Test
  void aSchemaLocationIsNeverFetched() throws Exception {
    int hits = HITS.get();
    String dmn = DecisionTablesTest.fitGrid().replace("<definitions ",
        "<definitions xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\""
            + "https://www.omg.org/spec/DMN/20191111/MODEL/ " + url("/dmn.xsd") + "\" ");

    CheckResult checked = checkPromptly(dmn);

    assertThat(checked.errors()).isEmpty();
    assertThat(HITS.get()).as("requests to the server").isEqualTo(hits);
  }

  // ---- no global lock ----

  /** A read that waits until released, for the tests of the cache's locking. */
  private static DmnModels.Loaded waitFor(CountDownLatch entered, CountDownLatch release, Source file) {
    entered.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DmnModels.load(new Source(file.name(), DecisionTablesTest.fitGrid()));
  }

  @Test
  void aFileThatTakesLongDoesNotHoldUpTheOthers() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Source slow = new Source("slow.dmn", DecisionTablesTest.fitGrid() + "<!-- slow -->");
    Future<DmnModels.Loaded> waiting = CHECKS.submit(() ->
        DmnModels.load(slow, f -> waitFor(entered, release, f)));
    try {
      entered.await();

      Future<DmnModels.Loaded> other = CHECKS.submit(() ->
          DmnModels.load(new Source("other.dmn", DecisionTablesTest.fitGrid() + "<!-- other -->")));

      assertThat(other.get(60, TimeUnit.SECONDS).runtime()).isNotNull();
      assertThat(waiting).isNotDone();
    } finally {
      release.countDown();
    }
    assertThat(waiting.get(60, TimeUnit.SECONDS).runtime()).isNotNull();
  }

  @Test
  void callersOfATextBeingReadWaitForThatOneRead() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    Source file = new Source("once.dmn", DecisionTablesTest.fitGrid() + "<!-- once -->");
    Future<DmnModels.Loaded> first = CHECKS.submit(() -> DmnModels.load(file, f -> {
      reads.incrementAndGet();
      return waitFor(entered, release, f);
    }));
    entered.await();
    Future<DmnModels.Loaded> second = CHECKS.submit(() -> DmnModels.load(file, f -> {
      reads.incrementAndGet();
      return waitFor(new CountDownLatch(1), new CountDownLatch(0), f);
    }));

    release.countDown();

    assertThat(second.get(60, TimeUnit.SECONDS)).isSameAs(first.get(60, TimeUnit.SECONDS));
    assertThat(reads).hasValue(1);
  }
}
