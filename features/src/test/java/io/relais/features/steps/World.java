package io.relais.features.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relais.features.driver.EndToEndRelais;
import io.relais.features.driver.InProcessRelais;
import io.relais.features.driver.Relais;
import io.relais.features.driver.RulesetFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario's world, shared by every step class: the driver, the clock, the ruleset, the
 * contact in focus, and what each "When" step decided. A new one per scenario.
 */
public final class World {

  /** Which driver runs the scenarios: {@code in-process} (default) or {@code e2e}. */
  public static final String DRIVER_PROPERTY = "relais.features.driver";
  /** Where {@code Given the ruleset "NAME"} finds its folder. */
  public static final String RULES_DIR_PROPERTY = "relais.features.rules-dir";
  /** The day a scenario starts on when it says nothing, at {@link #TIME_OF_DAY}. */
  static final LocalDate DEFAULT_DAY = LocalDate.of(2026, 11, 22);
  /** "Given today is 2026-11-22" means this time of that day, in the ruleset's zone. */
  static final LocalTime TIME_OF_DAY = LocalTime.of(10, 0);

  /** What one "When" step did: its words and the decision JSON of each event it sent. */
  record Step(String what, List<JsonNode> evaluations) {

    /** Every decision of the step, in the order they were made. */
    List<JsonNode> decisions() {
      List<JsonNode> all = new ArrayList<>();
      evaluations.forEach(e -> e.path("decisions").forEach(all::add));
      return all;
    }
  }

  final Relais relais;
  private RulesetFiles ruleset;
  private ZoneId zone;
  private Instant now;
  private String contactId;
  private int events;
  private final List<Step> steps = new ArrayList<>();

  public World() {
    String driver = System.getProperty(DRIVER_PROPERTY, "in-process");
    relais = switch (driver) {
      case "in-process" -> new InProcessRelais();
      case "e2e" -> new EndToEndRelais();
      default -> throw new IllegalStateException(DRIVER_PROPERTY + " is in-process or e2e, not " + driver);
    };
  }

  static Path rulesDir() {
    return Path.of(System.getProperty(RULES_DIR_PROPERTY, "../rules"));
  }

  void useRuleset(RulesetFiles files) {
    ruleset = files;
    relais.useRuleset(files);
  }

  RulesetFiles ruleset() {
    if (ruleset == null) {
      throw new AssertionError("No ruleset yet: start the scenario with Given the ruleset \"...\".");
    }
    return ruleset;
  }

  /** The scenario's zone: the one a time step named, else the ruleset's, else UTC. */
  ZoneId zone() {
    if (zone != null) {
      return zone;
    }
    return ruleset == null ? ZoneOffset.UTC : ruleset.checked().zone();
  }

  void setZone(ZoneId zone) {
    this.zone = zone;
  }

  Instant now() {
    if (now == null) {
      setNow(DEFAULT_DAY.atTime(TIME_OF_DAY).atZone(zone()).toInstant());
    }
    return now;
  }

  void setNow(Instant instant) {
    now = instant;
    relais.setNow(instant);
  }

  String contactId() {
    if (contactId == null) {
      contactId = "contact-1";
    }
    return contactId;
  }

  void setContactId(String id) {
    contactId = id;
  }

  String nextEventId() {
    return "e-" + (++events);
  }

  /** Sends events for the contact in focus and remembers their decisions as one step. */
  void apply(String what, List<ObjectNode> events) {
    apply(what, contactId(), events);
  }

  /** Sends events for contact {@code id} (an alias, say) and remembers their decisions as one step. */
  void apply(String what, String id, List<ObjectNode> events) {
    now();
    List<JsonNode> evaluations = new ArrayList<>();
    for (ObjectNode event : events) {
      evaluations.add(relais.applyEvent(id, event));
    }
    steps.add(new Step(what, evaluations));
  }

  /**
   * Time passes: the clock moves, and the campaign steps of the contact in focus that came due
   * meanwhile are decided, as one step (what "Then the contact is sent ..." reads).
   */
  void pass(String what, java.time.Duration duration) {
    setNow(now().plus(duration));
    steps.add(new Step(what, contactId == null ? List.of() : relais.decideDueSteps(contactId)));
  }

  /** The latest "When" step that sent events. */
  Step lastStep() {
    if (steps.isEmpty()) {
      throw new AssertionError("Nothing happened yet: a \"When the contact ...\" step must come before"
          + " this check.");
    }
    return steps.get(steps.size() - 1);
  }

  List<Step> steps() {
    return steps;
  }

  JsonNode contact() {
    now();
    return relais.contact(contactId());
  }
}
