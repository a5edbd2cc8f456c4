package io.relais.dsl.check;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.Template;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.diagnostic.Suggestions;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of docs/language.md ("Decision tables"): {@code .dmn} files are validated, {@code table} declarations
 * resolve their file, model and inputs, and {@code decision "D" of "T"} gets the decision's
 * type. DMN itself is read through {@link DecisionModels}, which the engine provides.
 */
final class TableChecker {

  private final Map<String, Source> files = new LinkedHashMap<>();
  private final Optional<DecisionModels> models;
  private final Resolutions resolutions;
  private final List<Diagnostic> diagnostics;
  private final Map<String, DecisionModels.Model> read = new LinkedHashMap<>();
  private final Map<String, Item.Table> declared = new LinkedHashMap<>();
  /** Declared tables whose file and model resolved; their decisions can be read. */
  private final Map<String, DecisionModels.Model> resolved = new LinkedHashMap<>();
  private final List<CheckedRuleset.Table> checked = new ArrayList<>();
  /** True while a binding is checked: an input may not read another table's decision. */
  private boolean inBinding;

  TableChecker(List<Source> dmnFiles, Optional<DecisionModels> models, Resolutions resolutions,
      List<Diagnostic> diagnostics) {
    dmnFiles.forEach(f -> files.put(f.name(), f));
    this.models = models;
    this.resolutions = resolutions;
    this.diagnostics = diagnostics;
  }

  /** Every {@code .dmn} file is checked with the ruleset, read by a table or not. */
  void readFiles() {
    if (files.isEmpty()) {
      return;
    }
    if (models.isEmpty()) {
      for (Source file : files.values()) {
        diagnostics.add(Diagnostic.error(Codes.DMN_NEEDS_ENGINE, SourceSpan.at(file.name(), 1, 1),
            "DMN tables need the engine: put relais-engine on the class path (./relais does)"));
      }
      return;
    }
    for (Source file : files.values()) {
      DecisionModels.Model model = models.get().read(file);
      read.put(file.name(), model);
      diagnostics.addAll(model.diagnostics());
    }
  }

  void declare(Item.Table table) {
    Item.Table first = declared.putIfAbsent(table.name().text(), table);
    if (first != null) {
      error(Codes.DUPLICATE_NAME, table.name().span(), "duplicate table \"" + table.name().text()
          + "\": first declared at " + first.span().position());
    }
  }

  /** Resolves every declared table and types its bindings (before the rules read decisions). */
  void checkTables(ExprChecker exprs) {
    for (Item.Table table : declared.values()) {
      Optional<DecisionModels.Model> model = model(table);
      model.ifPresent(m -> resolved.put(table.name().text(), m));
      List<CheckedRuleset.Binding> bindings = new ArrayList<>();
      Map<String, Item.InputBinding> bound = new LinkedHashMap<>();
      for (Item.InputBinding binding : table.inputs()) {
        inBinding = true;
        ValueType type;
        try {
          type = exprs.check(binding.value(), ExprChecker.Scope.NONE, null);
        } finally {
          inBinding = false;
        }
        String input = binding.input().text();
        Item.InputBinding first = bound.putIfAbsent(input, binding);
        if (first != null) {
          error(Codes.DUPLICATE_INPUT, binding.input().span(), "input \"" + input
              + "\" is bound twice: first at " + first.span().position());
          continue;
        }
        if (model.isEmpty()) {
          continue;
        }
        Optional<DecisionModels.Variable> variable = model.get().input(input);
        if (variable.isEmpty()) {
          report(Diagnostic.error(Codes.UNKNOWN_INPUT, binding.input().span(), "model \""
                  + model.get().name().orElse("") + "\" of " + table.file().text()
                  + " has no input \"" + input + "\""),
              Suggestions.closest(input, model.get().inputs().stream()
                  .map(DecisionModels.Variable::name).toList()).map(TableChecker::quote));
          continue;
        }
        inputType(binding, variable.get(), type);
        bindings.add(new CheckedRuleset.Binding(input, binding.value(), type));
      }
      if (model.isEmpty()) {
        continue;
      }
      for (DecisionModels.Variable input : model.get().inputs()) {
        if (!bound.containsKey(input.name())) {
          error(Codes.UNBOUND_INPUT, table.name().span(), "input \"" + input.name() + "\" of "
              + table.file().text() + " is not bound: add `input \"" + input.name()
              + "\" = ...` to table \"" + table.name().text() + "\"");
        }
      }
      Map<String, ValueType> decisions = new LinkedHashMap<>();
      model.get().decisions().forEach(d -> d.type().ifPresent(t -> decisions.put(d.name(), t)));
      checked.add(new CheckedRuleset.Table(table.name().text(), files.get(table.file().text()),
          model.get().name().orElseThrow(), bindings, decisions, table.span()));
    }
  }

  private Optional<DecisionModels.Model> model(Item.Table table) {
    Name file = table.file();
    if (!files.containsKey(file.text())) {
      report(Diagnostic.error(Codes.UNKNOWN_DMN_FILE, file.span(), "no file " + file.text()
              + " in this ruleset" + (file.text().endsWith(".dmn") ? ""
              : ": a table reads a .dmn file")),
          Suggestions.closest(file.text(), files.keySet()).map(TableChecker::quote));
      return Optional.empty();
    }
    DecisionModels.Model model = read.get(file.text());
    if (model == null) {
      return Optional.empty(); // no engine, already reported at the file
    }
    if (model.name().isEmpty()) {
      error(Codes.UNKNOWN_MODEL, file.span(), file.text() + " holds no DMN model that can be read"
          + " (see the errors reported in it)");
      return Optional.empty();
    }
    if (model.diagnostics().stream().anyMatch(Diagnostic::isError)) {
      return Optional.empty(); // its errors are reported in the file; no cascade here
    }
    return Optional.of(model);
  }

  private void inputType(Item.InputBinding binding, DecisionModels.Variable input, ValueType type) {
    if (type == null || input.anyType()) {
      return;
    }
    if (input.type().isEmpty()) {
      error(Codes.NOT_A_SINGLE_VALUE, binding.input().span(), "input \"" + input.name()
          + "\" is of DMN type " + input.dmnType() + ", not a single string, number, boolean or"
          + " date: a rule can only bind those");
      return;
    }
    ValueType wanted = input.type().get();
    // A stage reaches DMN as its name (a string).
    boolean fits = wanted == type || (wanted == ValueType.TEXT && type == ValueType.STAGE);
    if (!fits) {
      error(Codes.TYPE_MISMATCH, binding.value().span(), "input \"" + input.name() + "\" is "
          + ExprChecker.describe(wanted) + " (DMN " + input.dmnType() + "), not "
          + ExprChecker.describe(type));
    }
  }

  /** The type of {@code decision "D" of "T"}, null when unknown (and reported). */
  ValueType decision(Expr.DecisionRef ref) {
    Resolution r = resolve(ref.decision().text(), ref.table().text(), ref.decision().span(),
        ref.table().span());
    if (r == null) {
      return null;
    }
    resolutions.resolve(ref, r);
    return r.type();
  }

  /** {@code {{decision 'D' of 'T'}}} in a template. */
  void placeholder(Template.DecisionPlaceholder p) {
    Resolution r = resolve(p.decision(), p.table(), p.span(), p.span());
    if (r != null) {
      resolutions.resolve(p, r);
    }
  }

  private Resolution resolve(String decision, String table, SourceSpan decisionSpan,
      SourceSpan tableSpan) {
    if (inBinding) {
      error(Codes.TYPE_MISMATCH, decisionSpan, "a table input cannot read a decision: bind it to"
          + " a contact field, a constant or a history aggregate");
      return null;
    }
    if (!declared.containsKey(table)) {
      report(Diagnostic.error(Codes.UNKNOWN_TABLE, tableSpan, "unknown table \"" + table + "\""),
          Suggestions.closest(table, declared.keySet()).map(TableChecker::quote));
      return null;
    }
    DecisionModels.Model model = resolved.get(table);
    if (model == null) {
      return null; // the table's problem is reported at the table
    }
    Optional<DecisionModels.Variable> d = model.decision(decision);
    if (d.isEmpty()) {
      report(Diagnostic.error(Codes.UNKNOWN_DECISION, decisionSpan, "model \""
              + model.name().orElse("") + "\" of table \"" + table + "\" has no decision \""
              + decision + "\""),
          Suggestions.closest(decision, model.decisions().stream()
              .map(DecisionModels.Variable::name).toList()).map(TableChecker::quote));
      return null;
    }
    if (d.get().type().isEmpty()) {
      error(Codes.NOT_A_SINGLE_VALUE, decisionSpan, "decision \"" + decision + "\" is of DMN type "
          + d.get().dmnType() + ": rules read only decisions that give a single string, number,"
          + " boolean or date");
      return null;
    }
    return new Resolution.DecisionValue(table, decision, d.get().type().get());
  }

  /** The model of each declared table whose file and model resolved, by table name. */
  Map<String, DecisionModels.Model> models() {
    return resolved;
  }

  List<CheckedRuleset.Table> tables() {
    return List.copyOf(checked);
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private void error(String code, SourceSpan span, String message) {
    diagnostics.add(Diagnostic.error(code, span, message));
  }

  private void report(Diagnostic d, Optional<String> suggestion) {
    diagnostics.add(suggestion.map(d::withSuggestion).orElse(d));
  }
}
