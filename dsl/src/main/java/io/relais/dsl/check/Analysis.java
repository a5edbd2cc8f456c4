package io.relais.dsl.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the checker learned of a ruleset, errors or not: the check's result, the vocabulary with
 * every declared name, and the DMN model of each declared table that could be read. Editors
 * need it while the text is still wrong (docs/editors.md); everything else needs only
 * {@link CheckResult}.
 *
 * @param tables table name to its model, for the tables whose file and model resolved
 */
public record Analysis(
    CheckResult result, Vocabulary vocabulary, Map<String, DecisionModels.Model> tables) {

  public Analysis {
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /** The same analysis with another result (diagnostics merged with the parser's). */
  public Analysis withResult(CheckResult other) {
    return new Analysis(other, vocabulary, tables);
  }
}
