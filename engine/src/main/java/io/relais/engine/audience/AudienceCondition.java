package io.relais.engine.audience;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Item;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Program;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A condition of the rule language checked with a ruleset's declarations (attributes, events,
 * defines, timezone, tables) and all its files, {@code .dmn} ones included. The condition is checked as the {@code when} of one extra rule in a file
 * of its own, {@value #FILE}; positions in diagnostics and problems are the condition's own
 * (line 1 is its first line).
 *
 * @param condition the checked condition, lowered with the extra rule into
 *     {@code ruleset.program()}, whose {@link io.relais.dsl.program.Origins} give its parts' syntax
 * @param ruleset the ruleset checked together with the condition
 */
public record AudienceCondition(Cond condition, CheckedRuleset ruleset) {

  /** The file name that diagnostics of a condition carry. */
  public static final String FILE = "condition";

  // A name no author writes: drawn at random once per process. (Names cannot hold control
  // characters, docs/language.md, so no character can set this name apart from an author's.)
  private static final String RULE = "audience condition " + UUID.randomUUID();
  private static final String TAG = "audience hit " + UUID.randomUUID();

  /** Largest condition accepted, in characters. */
  public static final int MAX_LENGTH = 20_000;

  /** A condition with errors: every diagnostic, positions relative to the condition. */
  public static final class InvalidConditionException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public InvalidConditionException(String message, List<Diagnostic> diagnostics) {
      super(message);
      this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
      return diagnostics;
    }
  }

  /**
   * Parses and checks {@code condition} against the ruleset whose files are {@code files}.
   *
   * @throws InvalidConditionException when the condition is empty, too long, more than one
   *     condition, or has errors
   */
  public static AudienceCondition check(String rulesetName, Map<String, String> files, String condition) {
    if (condition == null || condition.isBlank()) {
      throw new InvalidConditionException("The condition is empty.", List.of());
    }
    if (condition.length() > MAX_LENGTH) {
      throw new InvalidConditionException(
          "The condition is longer than " + MAX_LENGTH + " characters.", List.of());
    }
    // The "when" keyword ends line 1, so the condition starts on line 2 at column 1.
    String text = "segment \"" + escape(RULE) + "\" when\n" + condition + "\nthen tag \"" + escape(TAG) + "\" end\n";
    Source source = new Source(FILE, text);
    ParseResult alone = RulesParser.parse(source);
    List<Diagnostic> own = relative(alone.diagnostics());
    if (!own.isEmpty() && own.stream().anyMatch(Diagnostic::isError)) {
      throw new InvalidConditionException("The condition has errors.", own);
    }
    // Text such as `true then disqualify end segment "x" when ...` would make more than one rule.
    List<Item> items = alone.file().items();
    if (items.size() != 1 || !(items.get(0) instanceof Item.Rule rule) || !rule.name().text().equals(RULE)
        || rule.actions().size() != 1 || rule.when().isEmpty()) {
      throw new InvalidConditionException(
          "Send one condition, as written after `when` in a rule, without `then` or `end`.", List.of());
    }
    List<Source> sources = new ArrayList<>();
    // Every file, as the registry checks them (sorted by name): a table declared in the rules
    // needs its .dmn file (already loaded, and cached, when the ruleset was stored).
    files.forEach((name, body) -> sources.add(new Source(name, body)));
    sources.sort(java.util.Comparator.comparing(Source::name));
    sources.add(source);
    CheckResult checked = RuleLanguage.check(rulesetName, sources);
    List<Diagnostic> errors = relative(checked.errors().stream().filter(d -> d.span().file().equals(FILE)).toList());
    if (checked.ruleset().isEmpty()) {
      if (errors.isEmpty()) {
        throw new InvalidConditionException("The ruleset \"" + rulesetName + "\" has errors.", checked.errors());
      }
      throw new InvalidConditionException("The condition has errors.", errors);
    }
    CheckedRuleset ruleset = checked.ruleset().get();
    Program.Rule audience = ruleset.program().rules().stream()
        .filter(r -> r.name().equals(RULE) && r.source().startsWith(FILE + ":"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the condition's rule is missing"));
    return new AudienceCondition(audience.when().orElseThrow(), ruleset);
  }

  /** A span of the checked condition as the author sees it: line 1 is the condition's first line. */
  public static SourceSpan relative(SourceSpan span) {
    if (!span.file().equals(FILE)) {
      return span;
    }
    return new SourceSpan(FILE, Math.max(1, span.line() - 1), span.column(),
        Math.max(1, span.endLine() - 1), span.endColumn());
  }

  private static List<Diagnostic> relative(List<Diagnostic> diagnostics) {
    return diagnostics.stream()
        .map(d -> new Diagnostic(d.severity(), d.code(), d.message(), relative(d.span()), d.suggestion()))
        .toList();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
