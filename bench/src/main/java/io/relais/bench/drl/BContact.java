package io.relais.bench.drl;

import io.relais.bench.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contact as a hand-written DRL rule base would model it: a mutable bean, with the helper
 * methods its consequences call to record decisions (the same decisions, with the same values,
 * as Relais makes).
 */
public class BContact {
  private static final String[] STAGES = {"SUBSCRIBER", "LEAD", "MQL", "SQL"};

  private int score;
  private int stage; // funnel position: 0 SUBSCRIBER, 1 LEAD, 2 MQL, 3 SQL
  private final Map<String, Integer> tags = new HashMap<>();
  private final Set<String> segments = new HashSet<>();
  private final Map<String, Instant> alerts;
  private final String firstName;
  private final String owner;
  private final Instant now;
  private int balance;
  private final List<Workload.Made> decisions = new ArrayList<>();

  public BContact(int score, int stage, Map<String, Integer> tags, Set<String> segments,
      Map<String, Instant> alerts, String firstName, String owner, Instant now) {
    this.score = score;
    this.stage = stage;
    this.tags.putAll(tags);
    this.segments.addAll(segments);
    this.alerts = alerts;
    this.firstName = firstName;
    this.owner = owner;
    this.now = now;
  }

  public int getScore() {
    return score;
  }

  public void setScore(int score) {
    this.score = score;
  }

  public int getStage() {
    return stage;
  }

  public void setStage(int stage) {
    this.stage = stage;
  }

  public String stageName() {
    return STAGES[stage];
  }

  public int tag(String name) {
    return tags.getOrDefault(name, 0);
  }

  public String getFirstName() {
    return firstName;
  }

  public Instant getNow() {
    return now;
  }

  public List<Workload.Made> getDecisions() {
    return decisions;
  }

  public void decided(String type, String rule, Object... fields) {
    decisions.add(new Workload.Made(type, rule, fields));
  }

  /** {@code tag}: one more; a segment rule also adds the contact to the tag's segment. */
  public void addTag(String rule, String name, String segment) {
    int count = tags.merge(name, 1, Integer::sum);
    decided("TAG", rule, "tag", name, "delta", 1, "count", count);
    if (segments.add(segment)) {
      decided("SEGMENT_ADD", rule, "segment", segment);
    }
  }

  public void award(String rule) {
    balance++;
    decided("POINTS", rule, "delta", 1, "balance", balance, "expiresAt", now.plus(Duration.ofDays(30)));
  }

  /** An alert to the owner (the default owner without one), at most once a day per rule. */
  public void alert(String rule, String message) {
    String to = owner != null ? owner : Workload.DEFAULT_OWNER;
    Instant last = alerts.get(rule);
    if (last != null && now.isBefore(last.plus(Duration.ofDays(1)))) {
      decided("SUPPRESSED", rule, "of", "ALERT", "reason", "throttled", "to", to, "channel", "email",
          "message", message);
    } else {
      decided("ALERT", rule, "to", to, "channel", "email", "message", message);
    }
  }
}
