package io.relais.features.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.cucumber.java.en.Then;
import io.relais.dsl.ast.Stage;
import io.relais.features.steps.Domain.PlannedStep;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The contact as stored after everything so far (end to end: read back with
 * {@code GET /contacts/{id}}): tags, score, stage, segments, enrollments, points, tier.
 */
public class StateSteps {

  private final World world;

  public StateSteps(World world) {
    this.world = world;
  }

  @Then("the contact has tag {string} with count {int}")
  public void hasTagWithCount(String tag, int count) {
    JsonNode tags = world.contact().path("tags");
    if (tags.path(tag).asInt(0) != count) {
      throw Explain.failure(world, "the contact has tag \"" + tag + "\" with count " + count,
          tags.has(tag) ? "its count is " + tags.path(tag).asInt() : "it has no such tag; its tags: " + tags);
    }
  }

  @Then("the contact has no tag {string}")
  public void hasNoTag(String tag) {
    JsonNode tags = world.contact().path("tags");
    if (tags.path(tag).asInt(0) > 0) {
      throw Explain.failure(world, "the contact has no tag \"" + tag + "\"", "it has it with count " + tags.path(tag));
    }
  }

  @Then("the contact's score is {int}")
  public void scoreIs(int score) {
    JsonNode actual = world.contact().path("score");
    if (actual.asInt(0) != score) {
      throw Explain.failure(world, "the contact's score is " + score, "the score is " + actual.asInt(0));
    }
  }

  @Then("the contact's stage is {stage}")
  public void stageIs(Stage stage) {
    String actual = world.contact().path("stage").asText(Stage.LEAD.name());
    if (!actual.equals(stage.name())) {
      throw Explain.failure(world, "the contact's stage is " + stage, "the stage is " + actual);
    }
  }

  @Then("the contact is in segment {string}")
  public void inSegment(String segment) {
    List<String> segments = segments();
    if (!segments.contains(segment)) {
      throw Explain.failure(world, "the contact is in segment \"" + segment + "\"", "its segments are " + segments);
    }
  }

  @Then("the contact is not in segment {string}")
  public void notInSegment(String segment) {
    List<String> segments = segments();
    if (segments.contains(segment)) {
      throw Explain.failure(world, "the contact is not in segment \"" + segment + "\"", "its segments are " + segments);
    }
  }

  @Then("the contact is enrolled in {string}")
  public void enrolledIn(String campaign) {
    if (!activeEnrollment(campaign)) {
      throw Explain.failure(world, "the contact is enrolled in \"" + campaign + "\"",
          "its enrollments are " + world.contact().path("enrollments"));
    }
  }

  @Then("the contact is not enrolled in {string}")
  public void notEnrolledIn(String campaign) {
    if (activeEnrollment(campaign)) {
      throw Explain.failure(world, "the contact is not enrolled in \"" + campaign + "\"",
          "its enrollments are " + world.contact().path("enrollments"));
    }
  }

  /**
   * Enrolled, and the latest enrollment decision for the campaign planned these steps; times
   * like {@code in 3 days} count from the evaluation that enrolled the contact.
   */
  @Then("the contact is enrolled in {string} with steps:")
  public void enrolledInWithSteps(String campaign, List<PlannedStep> expected) {
    enrolledIn(campaign);
    JsonNode enroll = null;
    String at = null;
    for (World.Step step : world.steps()) {
      for (JsonNode evaluation : step.evaluations()) {
        for (JsonNode d : evaluation.path("decisions")) {
          if (DecisionSteps.type(d, "ENROLL") && DecisionSteps.text(d, "campaign").equals(campaign)) {
            enroll = d;
            at = evaluation.path("now").asText();
          }
        }
      }
    }
    if (enroll == null) {
      throw Explain.failure(world, "an enrollment in \"" + campaign + "\" among the decisions", "none was decided");
    }
    JsonNode steps = enroll.path("steps");
    boolean same = steps.size() == expected.size();
    for (int i = 0; same && i < expected.size(); i++) {
      same = steps.get(i).path("message").asText().equals(expected.get(i).message())
          && Explain.matches(expected.get(i).dueAt().text(), steps.get(i).path("dueAt"), Instant.parse(at), world.zone());
    }
    if (!same) {
      Instant enrolledAt = Instant.parse(at);
      List<String> want = new ArrayList<>();
      expected.forEach(s -> want.add(s.message() + " at " + s.dueAt().resolve(enrolledAt, world.zone())));
      throw Explain.failure(world, "the enrollment of " + at + " plans " + want, "it plans " + steps);
    }
  }

  @Then("the contact has {points} points")
  public void hasPoints(BigDecimal points) {
    JsonNode actual = world.contact().path("points");
    if (!actual.isNumber() || actual.decimalValue().compareTo(points) != 0) {
      throw Explain.failure(world, "the contact has " + points.toPlainString() + " points",
          "it has " + Explain.shown(actual) + " points; its ledger: " + world.contact().path("ledger"));
    }
  }

  @Then("the contact's tier is {string}")
  public void tierIs(String tier) {
    String actual = world.contact().path("tier").asText("");
    if (!actual.equals(tier)) {
      throw Explain.failure(world, "the contact's tier is \"" + tier + "\"",
          actual.isEmpty() ? "it has no tier" : "the tier is \"" + actual + "\"");
    }
  }

  @Then("the contact has no tier")
  public void hasNoTier() {
    tierIs("");
  }

  private List<String> segments() {
    List<String> segments = new ArrayList<>();
    world.contact().path("segments").forEach(s -> segments.add(s.asText()));
    return segments;
  }

  private boolean activeEnrollment(String campaign) {
    for (JsonNode enrollment : world.contact().path("enrollments")) {
      if (enrollment.path("campaign").asText().equals(campaign) && enrollment.path("active").asBoolean()) {
        return true;
      }
    }
    return false;
  }
}
