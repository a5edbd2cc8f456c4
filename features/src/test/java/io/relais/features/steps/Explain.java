package io.relais.features.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.relais.features.steps.Domain.When;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Failure messages in plain words: what was expected, what came instead, the decisions of
 * the last step and the rule trace of its evaluations (which rules fired and why).
 */
final class Explain {

  private Explain() {}

  /** An assertion failure with the context QA needs to see why. */
  static AssertionError failure(World world, String expected, String instead) {
    StringBuilder text = new StringBuilder()
        .append("Expected: ").append(expected).append('\n')
        .append("Instead:  ").append(instead).append('\n');
    if (world.steps().isEmpty()) {
      text.append("\n(No event was sent yet.)\n");
    } else {
      text.append(step(world.lastStep()));
    }
    text.append("\nRun ").append(world.relais.describe()).append('\n');
    return new AssertionError(text.toString());
  }

  static String step(World.Step step) {
    StringBuilder text = new StringBuilder("\nAfter \"When ").append(step.what()).append("\":\n");
    int n = 0;
    for (JsonNode evaluation : step.evaluations()) {
      n++;
      if (step.evaluations().size() > 1) {
        text.append(" event ").append(n).append(" of ").append(step.evaluations().size()).append(":\n");
      }
      text.append("  decisions at ").append(evaluation.path("now").asText()).append(':');
      text.append(evaluation.path("decisions").isEmpty() ? " none\n" : "\n");
      int i = 0;
      for (JsonNode decision : evaluation.path("decisions")) {
        text.append("    ").append(++i).append(". ").append(decision(decision)).append('\n');
      }
      for (JsonNode warning : evaluation.path("warnings")) {
        text.append("  warning: ").append(warning.isTextual() ? warning.asText() : warning.toString()).append('\n');
      }
      text.append("  rule trace:\n");
      for (JsonNode rule : evaluation.path("trace")) {
        text.append("    ").append(rule.path("fired").asBoolean() ? "fired      " : "not fired  ")
            .append('"').append(rule.path("rule").asText()).append('"');
        String why = rule.path("why").asText();
        if (!why.isBlank()) {
          text.append(": ").append(why);
        }
        text.append('\n');
      }
    }
    return text.toString();
  }

  /** One decision on one line: type, its fields, then rule and source. */
  static String decision(JsonNode decision) {
    StringBuilder text = new StringBuilder(decision.path("type").asText());
    for (Iterator<Map.Entry<String, JsonNode>> it = decision.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!List.of("type", "rule", "source").contains(field.getKey())) {
        text.append(' ').append(field.getKey()).append('=').append(shown(field.getValue()));
      }
    }
    return text.append("  (rule \"").append(decision.path("rule").asText()).append("\", ")
        .append(decision.path("source").asText()).append(')').toString();
  }

  static String decisions(List<JsonNode> decisions) {
    if (decisions.isEmpty()) {
      return "no decision";
    }
    StringBuilder text = new StringBuilder(decisions.size() + " decision(s):");
    for (JsonNode d : decisions) {
      text.append("\n          ").append(decision(d));
    }
    return text.toString();
  }

  static String shown(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "(none)";
    }
    return value.isTextual() ? (value.asText().isEmpty() ? "\"\"" : value.asText()) : value.toString();
  }

  /**
   * Whether a value QA wrote matches a JSON value: numbers by value ({@code 3} = {@code 3.0}),
   * times by instant ({@code in 3 days} against the evaluation's time), {@code [empty]} for an
   * empty or missing value, anything else by its text.
   */
  static boolean matches(String expected, JsonNode actual, Instant now, ZoneId zone) {
    String want = expected.trim();
    boolean empty = actual == null || actual.isMissingNode() || actual.isNull()
        || (actual.isTextual() && actual.asText().isEmpty());
    if (want.equals("[empty]")) {
      return empty;
    }
    if (empty) {
      return false;
    }
    if (actual.isNumber()) {
      try {
        return actual.decimalValue().compareTo(new BigDecimal(want)) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (actual.isTextual()) {
      String text = actual.asText();
      if (text.equals(want)) {
        return true;
      }
      try {
        Instant at = Instant.parse(text);
        return at.equals(new When(want).resolve(now, zone));
      } catch (DateTimeParseException | IllegalArgumentException e) {
        return false;
      }
    }
    return actual.toString().equals(want);
  }
}
