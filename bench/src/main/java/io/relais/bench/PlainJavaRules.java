package io.relais.bench;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workload's rules ({@link Workload#rules}) written by hand in Java, phases and snapshots
 * included: what a hard-coded service would do for the same answer. Each rule is a record of
 * its parameters, tested in a loop per phase. It makes the same decisions as Relais, field by
 * field (checked by the benchmarks' set-up), but no trace and no warnings.
 */
final class PlainJavaRules {

  /** One generated rule: its kind (the rule's place in its bucket modulo 6) and parameters. */
  private record Rule(int kind, String name, String prefix, String tag, String title,
      int threshold, String message) {}

  private final Rule[][] byKind = new Rule[6][];

  PlainJavaRules(int rules) {
    List<List<Rule>> kinds = new ArrayList<>();
    for (int kind = 0; kind < 6; kind++) {
      kinds.add(new ArrayList<>());
    }
    String[] names = {"Section ", "Visits ", "Qualify ", "Nurture ", "Loyalty ", "Alert "};
    for (int i = 0; i < rules; i++) {
      int k = i / Workload.BUCKET;
      int j = i % Workload.BUCKET;
      String section = k + "-" + j % 5;
      int kind = j % 6;
      int threshold = switch (kind) {
        case 1 -> j / 4;
        case 2 -> j;
        case 4 -> j * 15;
        case 5 -> j - 30;
        default -> 0;
      };
      kinds.get(kind).add(new Rule(kind, names[kind] + i, "/section-" + section + "/",
          "T" + section, "b" + k, threshold, "message-" + i));
    }
    for (int kind = 0; kind < 6; kind++) {
      byKind[kind] = kinds.get(kind).toArray(Rule[]::new);
    }
  }

  List<Workload.Made> evaluate(Contact contact, Event event, List<Event> history, Instant now) {
    List<Workload.Made> decided = new ArrayList<>();
    Map<String, Integer> tags = new HashMap<>(contact.tags());
    Set<String> segments = new HashSet<>(contact.segments());
    int score = contact.score();
    Stage stage = contact.stage();
    int balance = 0;
    String url = (String) event.attributes().get("url");
    Object title = event.attributes().get("title");
    long visits3 = 0;
    double purchases365 = 0;
    Instant lastPurchase = null;
    Instant since3 = now.minus(Duration.ofDays(3));
    Instant since365 = now.minus(Duration.ofDays(365));
    for (Event e : history) {
      if (e.type().equals("page_visit") && !e.at().isBefore(since3)) {
        visits3++;
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
    visits3++; // the triggering visit
    for (Rule rule : byKind[0]) {
      if (url.startsWith(rule.prefix())) {
        int count = tags.merge(rule.tag(), 1, Integer::sum);
        decided.add(new Workload.Made("TAG", rule.name(), "tag", rule.tag(), "delta", 1, "count", count));
        String segment = "Visitors " + rule.tag().substring(1);
        if (segments.add(segment)) {
          decided.add(new Workload.Made("SEGMENT_ADD", rule.name(), "segment", segment));
        }
      }
    }
    for (Rule rule : byKind[1]) {
      if (rule.title().equals(title) && visits3 >= rule.threshold()) {
        score++;
        decided.add(new Workload.Made("SCORE", rule.name(), "delta", 1, "score", score));
      }
    }
    // Conditions read the phase's snapshot; actions change the state (advance: forward only).
    int qualifyScore = score;
    for (Rule rule : byKind[2]) {
      if (qualifyScore >= rule.threshold() && tags.getOrDefault(rule.tag(), 0) >= 1
          && stage.ordinal() < Stage.MQL.ordinal()) {
        decided.add(new Workload.Made("STAGE", rule.name(), "from", stage, "to", Stage.MQL));
        stage = Stage.MQL;
      }
    }
    for (Rule rule : byKind[3]) {
      if (tags.getOrDefault(rule.tag(), 0) >= 1 && stage.ordinal() < Stage.SQL.ordinal()) {
        decided.add(new Workload.Made("MESSAGE", rule.name(), "message", rule.message(), "channel", "email",
            "sendAt", now));
      }
    }
    Instant expiresAt = now.plus(Duration.ofDays(30));
    for (Rule rule : byKind[4]) {
      if (rule.title().equals(title) && purchases365 > rule.threshold()) {
        balance++;
        decided.add(new Workload.Made("POINTS", rule.name(), "delta", 1, "balance", balance,
            "expiresAt", expiresAt));
      }
    }
    // Whole days on the wall clock of the ruleset's zone, as the language counts them.
    long daysSince = lastPurchase == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(
        lastPurchase.atZone(Workload.ZONE).toLocalDateTime(), now.atZone(Workload.ZONE).toLocalDateTime());
    String owner = contact.owner() != null ? contact.owner() : Workload.DEFAULT_OWNER;
    String name = contact.firstName() != null ? contact.firstName() : "Someone";
    for (Rule rule : byKind[5]) {
      if (stage.ordinal() >= Stage.MQL.ordinal() && stage != Stage.DISQUALIFIED
          && rule.title().equals(title) && daysSince < rule.threshold()) {
        String message = name + " is on " + url;
        Instant last = contact.alerts().get(rule.name());
        if (last != null && now.isBefore(last.plus(Duration.ofDays(1)))) {
          decided.add(new Workload.Made("SUPPRESSED", rule.name(), "of", "ALERT", "reason", "throttled",
              "to", owner, "channel", "email", "message", message));
        } else {
          decided.add(new Workload.Made("ALERT", rule.name(), "to", owner, "channel", "email",
              "message", message));
        }
      }
    }
    return decided;
  }
}
