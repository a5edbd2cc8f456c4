package io.relais.features.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.cucumber.java.en.Then;
import io.relais.features.steps.Domain.ExpectedDecision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the latest "When" step decided (every event it sent, in order): decisions, alerts,
 * messages, points, and which rules fired.
 */
public class DecisionSteps {

  private final World world;

  public DecisionSteps(World world) {
    this.world = world;
  }

  @Then("the decisions are:")
  public void theDecisionsAre(List<ExpectedDecision> expected) {
    List<JsonNode> actual = decisions();
    boolean same = actual.size() == expected.size();
    for (int i = 0; same && i < actual.size(); i++) {
      same = matches(expected.get(i), actual.get(i));
    }
    if (!same) {
      throw Explain.failure(world, "these " + expected.size() + " decision(s), in this order:" + listed(expected),
          Explain.decisions(actual));
    }
  }

  @Then("the decisions include:")
  public void theDecisionsInclude(List<ExpectedDecision> expected) {
    List<JsonNode> actual = decisions();
    int next = 0;
    for (JsonNode decision : actual) {
      if (next < expected.size() && matches(expected.get(next), decision)) {
        next++;
      }
    }
    if (next < expected.size()) {
      throw Explain.failure(world, "among the decisions, in this order:" + listed(expected)
          + "\n          (the first not found: " + expected.get(next).fields() + ")", Explain.decisions(actual));
    }
  }

  @Then("nothing is decided")
  public void nothingIsDecided() {
    List<JsonNode> actual = decisions();
    if (!actual.isEmpty()) {
      throw Explain.failure(world, "no decision", Explain.decisions(actual));
    }
  }

  @Then("the owner is alerted with {string}")
  public void theOwnerIsAlerted(String message) {
    String owner = world.contact().path("owner").asText("");
    String to = !owner.isBlank() ? owner : world.ruleset().checked().defaultOwner().orElse("(no owner)");
    isAlerted(to, null, message);
  }

  @Then("{string} is alerted with {string}")
  public void someoneIsAlerted(String to, String message) {
    isAlerted(to, null, message);
  }

  @Then("{string} is alerted via {word} with {string}")
  public void someoneIsAlertedVia(String to, String channel, String message) {
    isAlerted(to, channel, message);
  }

  private void isAlerted(String to, String channel, String message) {
    expectOne("an alert to " + to + (channel == null ? "" : " via " + channel) + " saying \"" + message + "\"",
        d -> type(d, "ALERT") && text(d, "to").equals(to) && text(d, "message").equals(message)
            && (channel == null || text(d, "channel").equals(channel)));
  }

  @Then("no alert is sent")
  public void noAlertIsSent() {
    expectNone("no alert", d -> type(d, "ALERT"));
  }

  @Then("the contact is sent {string}")
  public void theContactIsSent(String message) {
    expectOne("the message \"" + message + "\" sent to the contact",
        d -> type(d, "MESSAGE") && text(d, "message").equals(message));
  }

  /** A message whose {@code sendAt} is the given instant (quiet hours move it). */
  @Then("the contact is sent {string} at {string}")
  public void theContactIsSentAt(String message, String sendAt) {
    expectOne("the message \"" + message + "\" sent to the contact at " + sendAt,
        d -> type(d, "MESSAGE") && text(d, "message").equals(message)
            && text(d, "sendAt").equals(sendAt));
  }

  @Then("the message {string} is suppressed because {string}")
  public void theMessageIsSuppressed(String message, String reason) {
    expectOne("the message \"" + message + "\" suppressed because " + reason,
        d -> type(d, "SUPPRESSED") && text(d, "message").equals(message)
            && text(d, "reason").equals(reason));
  }

  @Then("no message is sent")
  public void noMessageIsSent() {
    expectNone("no message", d -> type(d, "MESSAGE"));
  }

  @Then("the {word} is suppressed because {string}")
  public void isSuppressed(String what, String reason) {
    String of = switch (what) {
      case "alert" -> "ALERT";
      case "message" -> "MESSAGE";
      case "enrollment" -> "ENROLL";
      case "reward" -> "REWARD";
      default -> throw new IllegalArgumentException("Say alert, message, enrollment or reward, not " + what);
    };
    expectOne("the " + what + " suppressed because \"" + reason + "\"",
        d -> type(d, "SUPPRESSED") && text(d, "of").equals(of) && text(d, "reason").equals(reason));
  }

  @Then("the contact earns {points} points")
  public void theContactEarns(BigDecimal points) {
    BigDecimal earned = sum("POINTS", "delta", true);
    if (earned.compareTo(points) != 0 || points.signum() <= 0) {
      throw Explain.failure(world, "the contact earns " + points.toPlainString() + " points",
          "it earns " + earned.toPlainString() + " points; " + Explain.decisions(decisions()));
    }
  }

  @Then("the contact earns no points")
  public void theContactEarnsNoPoints() {
    expectNone("no points earned", d -> type(d, "POINTS") && d.path("delta").decimalValue().signum() > 0);
  }

  @Then("the contact loses {points} points")
  public void theContactLoses(BigDecimal points) {
    BigDecimal lost = sum("POINTS", "delta", false).negate();
    if (lost.compareTo(points) != 0) {
      throw Explain.failure(world, "the contact loses " + points.toPlainString() + " points",
          "it loses " + lost.toPlainString() + " points; " + Explain.decisions(decisions()));
    }
  }

  @Then("{points} points expire")
  public void pointsExpire(BigDecimal points) {
    BigDecimal expired = decisions().stream().filter(d -> type(d, "POINTS_EXPIRED"))
        .map(d -> d.path("points").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    if (expired.compareTo(points) != 0) {
      throw Explain.failure(world, points.toPlainString() + " points expire",
          expired.toPlainString() + " points expire; " + Explain.decisions(decisions()));
    }
  }

  @Then("the contact gets the reward {string}")
  public void theContactGetsTheReward(String reward) {
    expectOne("the reward \"" + reward + "\" granted", d -> type(d, "REWARD") && text(d, "reward").equals(reward));
  }

  @Then("the contact exits the campaign {string}")
  public void theContactExits(String campaign) {
    expectOne("an exit from the campaign \"" + campaign + "\"",
        d -> type(d, "EXIT") && text(d, "campaign").equals(campaign));
  }

  @Then("the contact's tier changes from {string} to {string}")
  public void theTierChanges(String from, String to) {
    expectOne("the tier changing from \"" + from + "\" to \"" + to + "\"",
        d -> type(d, "TIER") && text(d, "from").equals(from) && text(d, "to").equals(to));
  }

  @Then("rule {string} fired")
  public void ruleFired(String rule) {
    if (!fired(rule)) {
      throw Explain.failure(world, "rule \"" + rule + "\" fired", "it did not fire (see its line in the trace)");
    }
  }

  @Then("rule {string} did not fire")
  public void ruleDidNotFire(String rule) {
    if (fired(rule)) {
      throw Explain.failure(world, "rule \"" + rule + "\" did not fire", "it fired (see its line in the trace)");
    }
  }

  // A rule is in an evaluation's trace when the event could reach it (the drivers ask for every
  // such rule, `trace=all`, docs/api.md); one the event could not reach did not fire.
  private boolean fired(String rule) {
    List<String> names = world.ruleset().checked().rules().stream().map(r -> r.syntax().name().text()).toList();
    if (!names.contains(rule)) {
      throw new AssertionError("The ruleset has no rule named \"" + rule + "\". Its rules: " + names);
    }
    boolean fired = false;
    for (JsonNode evaluation : world.lastStep().evaluations()) {
      for (JsonNode entry : evaluation.path("trace")) {
        if (entry.path("rule").asText().equals(rule)) {
          fired |= entry.path("fired").asBoolean();
        }
      }
    }
    return fired;
  }

  private List<JsonNode> decisions() {
    return world.lastStep().decisions();
  }

  private void expectOne(String expected, Predicate<JsonNode> test) {
    List<JsonNode> all = decisions();
    long found = all.stream().filter(test).count();
    if (found != 1) {
      throw Explain.failure(world, expected + (found > 1 ? ", once" : ""),
          (found > 1 ? found + " such decisions among " : "") + Explain.decisions(all));
    }
  }

  private void expectNone(String expected, Predicate<JsonNode> test) {
    List<JsonNode> all = decisions();
    List<JsonNode> found = all.stream().filter(test).toList();
    if (!found.isEmpty()) {
      throw Explain.failure(world, expected, Explain.decisions(found));
    }
  }

  private BigDecimal sum(String type, String field, boolean positive) {
    return decisions().stream().filter(d -> type(d, type))
        .map(d -> d.path(field).decimalValue())
        .filter(n -> positive ? n.signum() > 0 : n.signum() < 0)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private boolean matches(ExpectedDecision expected, JsonNode decision) {
    Instant now = Instant.parse(evaluationTime(decision));
    for (Map.Entry<String, String> field : expected.fields().entrySet()) {
      if (!Explain.matches(field.getValue(), decision.path(field.getKey()), now, world.zone())) {
        return false;
      }
    }
    return true;
  }

  /** The time of the evaluation that made a decision: times in tables count from it. */
  private String evaluationTime(JsonNode decision) {
    for (JsonNode evaluation : world.lastStep().evaluations()) {
      for (JsonNode d : evaluation.path("decisions")) {
        if (d == decision) {
          return evaluation.path("now").asText();
        }
      }
    }
    return world.now().toString();
  }

  private static String listed(List<ExpectedDecision> expected) {
    return expected.stream().map(e -> "\n          " + e.fields().entrySet().stream()
        .map(f -> f.getKey() + "=" + f.getValue()).collect(Collectors.joining(" "))).collect(Collectors.joining());
  }

  static boolean type(JsonNode decision, String type) {
    return decision.path("type").asText().equals(type);
  }

  static String text(JsonNode decision, String field) {
    return decision.path(field).asText("");
  }
}
