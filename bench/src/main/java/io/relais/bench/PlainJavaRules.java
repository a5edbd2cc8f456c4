package io.relais.bench;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's 50 rules written by hand in Java, phases and snapshots included but no
 * decisions objects or traces: what a hard-coded service would do for the same answer.
 */
final class PlainJavaRules {

  private PlainJavaRules() {}

  static int evaluate(Contact contact, Event event, List<Event> history, Instant now) {
    Map<String, Integer> tags = new HashMap<>(contact.tags());
    int score = contact.score();
    Stage stage = contact.stage();
    int decisions = 0;
    String url = (String) event.attributes().get("url");
    long visits30 = 0;
    double purchases365 = 0;
    Instant lastPurchase = null;
    for (Event e : history) {
      if (e.type().equals("page_visit") && !e.at().isBefore(now.minus(Duration.ofDays(30)))) {
        visits30++;
      }
      if (e.type().equals("purchase")) {
        if (!e.at().isBefore(now.minus(Duration.ofDays(365)))) {
          purchases365 += ((Number) e.attributes().get("amount")).doubleValue();
        }
        if (lastPurchase == null || e.at().isAfter(lastPurchase)) {
          lastPurchase = e.at();
        }
      }
    }
    visits30++; // the triggering visit
    Map<String, Integer> phaseTags = Map.copyOf(tags);
    for (int i = 0; i < DecisionBenchmark.RULES; i += 6) {
      String section = "/section-" + (i % 12) + "/";
      if (url.startsWith(section)) {
        tags.merge("T" + (i % 12), 1, Integer::sum);
        decisions++;
      }
    }
    int phaseScore = score;
    for (int i = 1; i < DecisionBenchmark.RULES; i += 6) {
      if (visits30 >= i % 7) {
        score++;
        decisions++;
      }
    }
    Stage phaseStage = stage;
    for (int i = 2; i < DecisionBenchmark.RULES; i += 6) {
      if (score >= i && tags.getOrDefault("T" + (i % 12), 0) >= 1 && phaseStage.ordinal() < Stage.MQL.ordinal()) {
        stage = Stage.MQL;
        decisions++;
      }
    }
    for (int i = 3; i < DecisionBenchmark.RULES; i += 6) {
      if (tags.getOrDefault("T" + (i % 12), 0) >= 1 && stage.ordinal() < Stage.SQL.ordinal()) {
        decisions++;
      }
    }
    for (int i = 4; i < DecisionBenchmark.RULES; i += 6) {
      if (purchases365 > i * 10) {
        decisions++;
      }
    }
    long daysSince = lastPurchase == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(lastPurchase, now);
    for (int i = 5; i < DecisionBenchmark.RULES; i += 6) {
      if (stage.ordinal() >= Stage.MQL.ordinal() && stage != Stage.DISQUALIFIED && daysSince < i) {
        decisions++;
      }
    }
    return decisions + phaseTags.size() + phaseScore;
  }
}
