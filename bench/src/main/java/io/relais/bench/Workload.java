package io.relais.bench;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision workload every engine benchmark measures: one contact with 50 history events, a
 * page visit, and a ruleset of N generated rules in buckets of 50. Each bucket holds the six
 * kinds in turn (segment rules on URL globs, scoring on history counts and an event
 * attribute, qualify on the score and a tag, nurture on a tag and the stage, loyalty on a
 * history sum, alerts on the stage, an event attribute and days since the last purchase, with
 * a template and a throttle). Bucket 0 is the 50-rule ruleset, and the only one that matches
 * (23 rules): every other bucket tests other URL sections, attribute values and tags, so a
 * larger ruleset does the same work if and only if the engine does not visit what cannot match.
 *
 * <p>Every decision type the kinds can make is made: {@code TAG} and {@code SEGMENT_ADD}
 * (globs that match), {@code SCORE}, {@code STAGE} (a qualify), {@code MESSAGE}, {@code POINTS},
 * {@code ALERT} with its template rendered, and {@code SUPPRESSED} (an alert throttled).
 */
public final class Workload {

  public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  public static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  public static final String DEFAULT_OWNER = "sales@acme.fr";
  /** Rules per bucket; bucket 0 is the 50-rule ruleset. */
  public static final int BUCKET = 50;
  /** The triggering page visit: bucket 0's section 3, title {@code b0}. */
  public static final String URL = "/section-0-3/offers";
  public static final String TITLE = "b0";
  /** The alert whose throttle holds: the contact was alerted about it two hours ago. */
  public static final String THROTTLED = "Alert 41";

  private Workload() {}

  /** The rule text of {@code rules} rules (a multiple of 50). */
  public static String rules(int rules) {
    if (rules <= 0 || rules % BUCKET != 0) {
      throw new IllegalArgumentException("rules come in buckets of 50: " + rules);
    }
    StringBuilder text = new StringBuilder(rules * 160)
        .append("timezone \"Europe/Paris\"\ndefault owner \"").append(DEFAULT_OWNER).append("\"\n");
    for (int i = 0; i < rules; i++) {
      int k = i / BUCKET;
      int j = i % BUCKET;
      String section = k + "-" + j % 5;
      switch (j % 6) {
        case 0 -> text.append("segment \"Section ").append(i)
            .append("\"\nwhen event is page_visit and event.url matches \"/section-").append(section)
            .append("/**\"\nthen\n  tag \"T").append(section).append("\"\n  add to segment \"Visitors ")
            .append(section).append("\"\nend\n");
        case 1 -> text.append("scoring \"Visits ").append(i)
            .append("\"\nwhen event is page_visit and event.title = \"b").append(k)
            .append("\" and count(page_visit within 3 days) >= ").append(j / 4)
            .append("\nthen add 1 to score\nend\n");
        case 2 -> text.append("qualify \"Qualify ").append(i).append("\"\nwhen contact.score >= ")
            .append(j).append(" and tag \"T").append(section)
            .append("\" >= 1\nthen advance stage to MQL\nend\n");
        case 3 -> text.append("nurture \"Nurture ").append(i).append("\"\nwhen has tag \"T")
            .append(section).append("\" and contact.stage < SQL\nthen send \"message-").append(i)
            .append("\"\nend\n");
        case 4 -> text.append("loyalty \"Loyalty ").append(i)
            .append("\"\nwhen event is page_visit and event.title = \"b").append(k)
            .append("\" and sum(purchase.amount within 365 days) > ").append(j * 15)
            .append("\nthen award 1 points expiring in 30 days\nend\n");
        default -> text.append("alert \"Alert ").append(i)
            .append("\"\nwhen contact.stage >= MQL and event is page_visit and event.title = \"b")
            .append(k).append("\" and days since last purchase < ").append(j - 30)
            .append("\nthen notify owner with \"{{contact.firstName|Someone}} is on {{event.url}}\"")
            .append(" at most once per 1 day\nend\n");
      }
    }
    return text.toString();
  }

  /** The ruleset of {@code rules} rules, checked; a ruleset with errors is a bug here. */
  public static CheckedRuleset checked(int rules) {
    CheckResult checked = RuleLanguage.check("bench",
        List.of(new Source("bench.rules", rules(rules))));
    return checked.ruleset().orElseThrow(() ->
        new IllegalStateException("benchmark ruleset has errors: " + checked.diagnostics()));
  }

  /** The contact: a lead with a score of 30, tag {@code T0-3} twice, e-mail consent. */
  public static Contact contact() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", "c-1");
    json.put("email", "jean@example.fr");
    json.put("firstName", "Jean");
    json.put("score", 30);
    json.put("stage", "LEAD");
    json.put("tags", Map.of("T0-3", 2));
    json.put("consent", Map.of("email", true));
    json.put("alerts", Map.of(THROTTLED, NOW.minus(Duration.ofHours(2)).toString()));
    return Contact.fromJson(json);
  }

  public static Event event() {
    return new Event("e", "page_visit", NOW, Map.of("url", URL, "title", TITLE, "seconds", 42));
  }

  /** 50 events, one every 7 hours: every fifth a purchase, the others page visits. */
  public static List<Event> history() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Instant at = NOW.minus(Duration.ofHours(7L * i + 1));
      events.add(i % 5 == 0
          ? new Event("h" + i, "purchase", at, Map.of("amount", 40 + i))
          : new Event("h" + i, "page_visit", at,
              Map.of("url", "/section-0-" + i % 5 + "/page", "title", TITLE)));
    }
    return events;
  }

  /**
   * One decision as the three sides are compared: its type, its rule, and every field with its
   * value in one canonical text (numbers by value, stages by name, instants in ISO-8601).
   */
  public record Decided(String type, String rule, Map<String, String> fields) {

    /** A baseline's decision in the canonical form. */
    public static Decided of(Made made) {
      Map<String, String> fields = new LinkedHashMap<>();
      Object[] namesAndValues = made.fields();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        fields.put((String) namesAndValues[i], canonical(namesAndValues[i + 1]));
      }
      return new Decided(made.type(), made.rule(), fields);
    }
  }

  /**
   * A decision as the baselines make it while measured: its fields as alternating names and
   * values, as they are (made canonical only for the comparison, outside the measurement).
   */
  public record Made(String type, String rule, Object... fields) {}

  /** A baseline's decisions in the canonical form. */
  public static List<Decided> canonical(List<Made> made) {
    return made.stream().map(Decided::of).toList();
  }

  /** Relais' decisions in the canonical form. */
  public static List<Decided> decided(Evaluation evaluation) {
    List<Decided> out = new ArrayList<>();
    for (Decision decision : evaluation.decisions()) {
      Map<String, String> fields = new LinkedHashMap<>();
      decision.fields().forEach((name, value) -> fields.put(name, canonical(value)));
      out.add(new Decided(decision.type().name(), decision.rule(), fields));
    }
    return out;
  }

  static String canonical(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return value.toString();
  }

  /**
   * Refuses to go on unless {@code other} made exactly {@code relais}' decisions, in the same
   * order, field by field; and unless the workload made every decision type it is meant to.
   */
  public static void requireSame(String side, List<Decided> relais, List<Decided> other) {
    for (String type : List.of("TAG", "SEGMENT_ADD", "SCORE", "STAGE", "MESSAGE", "POINTS",
        "ALERT", "SUPPRESSED")) {
      if (relais.stream().noneMatch(d -> d.type().equals(type))) {
        throw new IllegalStateException("the workload made no " + type + " decision: " + relais);
      }
    }
    if (!relais.equals(other)) {
      StringBuilder diff = new StringBuilder(side + " does not make Relais' decisions:");
      for (int i = 0; i < Math.max(relais.size(), other.size()); i++) {
        Decided a = i < relais.size() ? relais.get(i) : null;
        Decided b = i < other.size() ? other.get(i) : null;
        if (a == null || !a.equals(b)) {
          diff.append("\n  #").append(i).append(" relais ").append(a).append("\n     ")
              .append(side).append(' ').append(b);
        }
      }
      throw new IllegalStateException(diff.toString());
    }
  }
}
