package io.relais.bench;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's 50 rules written by hand in Java, phases and snapshots included: what a
 * hard-coded service would do for the same answer. It makes the same decisions as Relais (type,
 * rule and the values a client reads: tag counts, scores, stages, rendered messages, point
 * balances), checked by the benchmark's set-up, but no trace and no warnings.
 */
final class PlainJavaRules {

  /** One decision: its type, the rule's name and what it decided. */
  record Decided(String type, String rule, Object value) {}

  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final String DEFAULT_OWNER = "sales@acme.fr";

  private PlainJavaRules() {}

  static List<Decided> evaluate(Contact contact, Event event, List<Event> history, Instant now) {
    List<Decided> decided = new ArrayList<>();
    Map<String, Integer> tags = new HashMap<>(contact.tags());
    int score = contact.score();
    Stage stage = contact.stage();
    int balance = 0;
    String url = (String) event.attributes().get("url");
    long visits30 = 0;
    double purchases365 = 0;
    Instant lastPurchase = null;
    Instant since30 = now.minus(Duration.ofDays(30));
    Instant since365 = now.minus(Duration.ofDays(365));
    for (Event e : history) {
      if (e.type().equals("page_visit") && !e.at().isBefore(since30)) {
        visits30++;
      }
      if (e.type().equals("purchase")) {
        if (!e.at().isBefore(since365)) {
          purchases365 += ((Number) e.attributes().get("amount")).doubleValue();
        }
        if (lastPurchase == null || e.at().isAfter(lastPurchase)) {
          lastPurchase = e.at();
        }
      }
    }
    visits30++; // the triggering visit
    for (int i = 0; i < DecisionBenchmark.RULES; i += 6) {
      if (url.startsWith("/section-" + (i % 12) + "/")) {
        int count = tags.merge("T" + (i % 12), 1, Integer::sum);
        decided.add(new Decided("TAG", "Section " + i, count));
      }
    }
    for (int i = 1; i < DecisionBenchmark.RULES; i += 6) {
      if (visits30 >= i % 7) {
        score++;
        decided.add(new Decided("SCORE", "Visits " + i, score));
      }
    }
    // Conditions read the phase's snapshot; actions change the state (advance: forward only).
    int qualifyScore = score;
    for (int i = 2; i < DecisionBenchmark.RULES; i += 6) {
      if (qualifyScore >= i && tags.getOrDefault("T" + (i % 12), 0) >= 1
          && stage.ordinal() < Stage.MQL.ordinal()) {
        stage = Stage.MQL;
        decided.add(new Decided("STAGE", "Qualify " + i, stage));
      }
    }
    for (int i = 3; i < DecisionBenchmark.RULES; i += 6) {
      if (tags.getOrDefault("T" + (i % 12), 0) >= 1 && stage.ordinal() < Stage.SQL.ordinal()) {
        decided.add(new Decided("MESSAGE", "Nurture " + i, "message-" + i));
      }
    }
    for (int i = 4; i < DecisionBenchmark.RULES; i += 6) {
      if (purchases365 > i * 10) {
        balance++;
        decided.add(new Decided("POINTS", "Loyalty " + i, balance));
      }
    }
    // Whole days on the wall clock of the ruleset's zone, as the language counts them.
    long daysSince = lastPurchase == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(
        lastPurchase.atZone(ZONE).toLocalDateTime(), now.atZone(ZONE).toLocalDateTime());
    String owner = contact.owner() != null ? contact.owner() : DEFAULT_OWNER;
    for (int i = 5; i < DecisionBenchmark.RULES; i += 6) {
      if (stage.ordinal() >= Stage.MQL.ordinal() && stage != Stage.DISQUALIFIED && daysSince < i) {
        String name = contact.firstName() != null ? contact.firstName() : "Someone";
        decided.add(new Decided("ALERT", "Alert " + i, owner + ": " + name + " is on " + url));
      }
    }
    return decided;
  }
}
