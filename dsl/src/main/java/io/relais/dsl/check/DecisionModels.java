package io.relais.dsl.check;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Reads DMN models for the checker (docs/language.md ("Decision tables")). The engine provides the Kogito
 * implementation through {@link ServiceLoader}, so this module knows nothing of DMN: without
 * the engine on the class path, a ruleset with tables is reported as needing it.
 */
public interface DecisionModels {

  /**
   * Reads and validates one {@code .dmn} file. Never throws: schema, FEEL and table problems
   * (overlaps under a UNIQUE hit policy are errors, gaps are warnings) are diagnostics at
   * {@code file.dmn:LINE:COL}.
   */
  Model read(Source file);

  /**
   * One file's DMN model; {@code name} is empty when the file holds none (not DMN, or not
   * readable), and then the diagnostics say why.
   */
  record Model(
      String file,
      Optional<String> name,
      List<Variable> inputs,
      List<Variable> decisions,
      List<Diagnostic> diagnostics) {

    public Model {
      inputs = List.copyOf(inputs);
      decisions = List.copyOf(decisions);
      diagnostics = List.copyOf(diagnostics);
    }

    public Optional<Variable> input(String name) {
      return inputs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<Variable> decision(String name) {
      return decisions.stream().filter(v -> v.name().equals(name)).findFirst();
    }
  }

  /**
   * An {@code inputData} or a {@code decision}: its name, its DMN type as the file names it
   * ({@code string}, {@code tFitPoints}...), and the Relais type it reads as when it is a single
   * text, number, boolean or date; {@code anyType} when the file gives no type at all.
   */
  record Variable(
      String name, String dmnType, Optional<ValueType> type, boolean anyType, SourceSpan span) {}

  /** The implementation on the class path, if any (the engine's). */
  static Optional<DecisionModels> installed() {
    return Installed.PROVIDER;
  }

  /** Looked up once: the class path does not change while the program runs. */
  final class Installed {
    private static final Optional<DecisionModels> PROVIDER =
        ServiceLoader.load(DecisionModels.class, DecisionModels.class.getClassLoader()).findFirst();

    private Installed() {}
  }
}
