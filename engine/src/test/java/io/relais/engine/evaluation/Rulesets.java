package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.program.Program;
import io.relais.dsl.source.Source;
import java.util.List;
import java.util.function.Function;

/** Rule text to a compiled ruleset, through the real parser and checker. */
final class Rulesets {

  /** Phases share a cycle when the read/write analysis allows it (the product). */
  static final Function<Program, PhaseGroups> ANALYZED = PhaseGroups::of;
  /** One cycle per phase, as if no phase could share: the reference the tests compare with. */
  static final Function<Program, PhaseGroups> SEPARATE = program -> PhaseGroups.separate();
  /** Every phase in one cycle whatever it reads: wrong on purpose. */
  static final Function<Program, PhaseGroups> UNCHECKED =
      program -> new PhaseGroups(0, 1, 1, 1, 1, 1, 1);

  private Rulesets() {}

  static CompiledRuleset compile(String text) {
    return compile(text, ANALYZED);
  }

  /** With the phases grouped into Drools cycles as {@code grouping} says. */
  static CompiledRuleset compile(String text, Function<Program, PhaseGroups> grouping) {
    return CompiledRuleset.compile(checked(text), 1, grouping);
  }

  /** Compiled with {@code options} (the limits evaluations keep). */
  static CompiledRuleset compile(String text, CompileOptions options) {
    return CompiledRuleset.compile(checked(text), 1, options);
  }

  static io.relais.dsl.check.CheckedRuleset checked(String text) {
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("test.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return checked.ruleset().orElseThrow();
  }
}
