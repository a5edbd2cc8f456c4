package io.relais.dsl.language;

import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The line of documentation of each sort of name, from the vocabulary and the declarations. */
final class Docs {

  private Docs() {}

  static String field(Vocabulary.Field field) {
    return switch (field.origin()) {
      case ATTRIBUTE -> "declared attribute, read from the contact's attributes" + at(field.span());
      case DERIVED -> field.doc() + " (computed at the time of the decision)";
      case BUILT_IN -> field.doc();
    };
  }

  /** An event attribute; {@code owner} is its event type, or null when it is implicit or shared. */
  static String attribute(Vocabulary.EventType owner, String name) {
    String note = owner == null ? "" : owner.note(name);
    if (owner == null) {
      note = Vocabulary.builtIn().eventType("daily").map(t -> t.note(name)).orElse("");
      return note.isEmpty() ? "an attribute of the event" : note + " (every event has it)";
    }
    return (note.isEmpty() ? "" : note + "; ") + "attribute of " + owner.name() + " events";
  }

  static String eventType(Vocabulary.EventType type) {
    String attributes = type.attributes().isEmpty() ? "no attributes of its own"
        : type.attributes().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue().keyword()).collect(Collectors.joining(", "));
    String what = type.builtIn() ? type.doc() : "declared event type" + at(type.span());
    return what + ": " + attributes;
  }

  static String stage(Stage stage) {
    return stage.isOrdered() ? "funnel stage " + (stage.ordinal() + 1) + " of "
        + (Stage.values().length - 1) : "outside the funnel: ordered comparisons with it are false";
  }

  static String constant(Vocabulary.Constant constant) {
    Object value = constant.value();
    String written = value instanceof String s ? io.relais.dsl.format.Formatter.quote(s)
        : value instanceof BigDecimal n ? n.toPlainString() : String.valueOf(value);
    return "define " + constant.name() + " = " + written + at(constant.span());
  }

  static String used(Place.Slot slot, String name, int times) {
    String sort = slot.name().toLowerCase(Locale.ROOT);
    return sort + " written " + times + (times == 1 ? " time" : " times") + " in this ruleset";
  }

  static String campaign(Item.Campaign c) {
    List<String> steps = new ArrayList<>();
    for (Item.Step step : c.steps()) {
      steps.add("\"" + step.message().text() + "\" after " + step.after().amount() + " "
          + step.after().unit().keyword());
    }
    return "campaign: " + (steps.isEmpty() ? "no steps" : String.join(", ", steps))
        + at(c.span());
  }

  static String reward(Item.Reward r) {
    return "reward, costs " + r.cost().toPlainString() + " points" + at(r.span());
  }

  static String tier(Item.Tier t) {
    return "tier from " + t.threshold().toPlainString() + " points" + at(t.span());
  }

  static String table(Item.Table t, DecisionModels.Model model) {
    String decisions = model == null ? "its model could not be read"
        : "decisions " + model.decisions().stream().map(v -> "\"" + v.name() + "\" (" + dmnType(v)
            + ")").collect(Collectors.joining(", "));
    return "DMN table from " + t.file().text() + ": " + decisions + at(t.span());
  }

  static String dmnType(DecisionModels.Variable v) {
    return v.type().map(t -> t.keyword()).orElse(v.anyType() ? "any" : "DMN " + v.dmnType());
  }

  static String decision(String table, DecisionModels.Variable v) {
    return "decision of table \"" + table + "\"" + (v.type().isEmpty() && !v.anyType()
        ? ": not a single value, rules cannot read it" : "");
  }

  /** " (file:line)" for a declaration, "" for a built-in name. */
  static String at(SourceSpan span) {
    return span.line() > 0 ? " (" + span.fileAndLine() + ")" : "";
  }
}
