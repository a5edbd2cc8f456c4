package io.relais.engine.simulation;

import io.relais.engine.contact.Contact;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a simulation counted over some contacts (a slice, a part of a page, or the whole run):
 * decisions by type and by rule, alerts by recipient and messages by campaign and step, each
 * for the active version ({@link #ACTIVE}) and the candidate ({@link #CANDIDATE}); the contacts
 * whose final state differs, with a sample of the {@value #SAMPLE} smallest ids. Tallies add
 * up in any order to the same result, so a slice worked again after a crash, or cut in other
 * parts, counts the same. Kept in a slice's document as plain JSON values ({@link #toDocument}).
 */
public final class SimulationTally {

  /** The side of the active version. */
  public static final int ACTIVE = 0;
  /** The side of the candidate. */
  public static final int CANDIDATE = 1;
  /** Contacts with a different final state shown in full. */
  public static final int SAMPLE = 20;
  /** Error messages kept. */
  public static final int ERROR_SAMPLES = 10;
  /** The rule of a decision no rule made (the lifecycle's: expired points, campaign exits). */
  static final String NO_RULE = "(lifecycle)";
  /** Separates a message's campaign from its step in a key: a character no name holds. */
  private static final String SEPARATOR = "\u001f";

  long contacts;
  long events;
  long startsCorrected;
  long errors;
  final List<String> errorSamples = new ArrayList<>();
  final Map<String, long[]> byType = new TreeMap<>();
  final Map<String, long[]> byRule = new TreeMap<>();
  final Map<String, long[]> alerts = new TreeMap<>();
  final Map<String, long[]> messages = new TreeMap<>();
  long changed;
  long changedStage;
  long changedTier;
  long changedSegments;
  long changedEnrollments;
  /** Contact id to its entry, the smallest ids only. */
  final TreeMap<String, Map<String, Object>> sample = new TreeMap<>();

  /** Counts one evaluation of one side. */
  public void decided(int side, Evaluation evaluation) {
    events += side == ACTIVE ? 1 : 0;
    for (Decision decision : evaluation.decisions()) {
      add(byType, decision.type().name(), side, 1);
      add(byRule, decision.rule() == null ? NO_RULE : decision.rule(), side, 1);
      switch (decision.type()) {
        case ALERT -> add(alerts, String.valueOf(decision.field("to")), side, 1);
        // A campaign step's message was counted with the ENROLL that planned it (below), so the
        // versions compare what they plan even where only one has the step's recorded event.
        case MESSAGE -> {
          if (decision.field("campaign") == null) {
            add(messages, messageKey(null, decision.rule() == null ? NO_RULE : decision.rule()), side, 1);
          }
        }
        // A campaign's messages are the steps its enrollment plans (they come due later).
        case ENROLL -> {
          if (decision.field("steps") instanceof List<?> steps) {
            for (Object step : steps) {
              Object name = step instanceof Map<?, ?> m ? m.get("message") : null;
              add(messages, messageKey(decision.field("campaign"), name), side, 1);
            }
          }
        }
        default -> { }
      }
    }
  }

  /** Counts a contact replayed with both versions, from the states they left. */
  public void compared(String contactId, Contact active, Contact candidate) {
    contacts++;
    Map<String, Object> a = finalState(active);
    Map<String, Object> c = finalState(candidate);
    boolean stage = !Objects.equals(a.get("stage"), c.get("stage"));
    boolean tier = !Objects.equals(a.get("tier"), c.get("tier"));
    boolean segments = !Objects.equals(a.get("segments"), c.get("segments"));
    boolean enrollments = !Objects.equals(a.get("enrollments"), c.get("enrollments"));
    changedStage += stage ? 1 : 0;
    changedTier += tier ? 1 : 0;
    changedSegments += segments ? 1 : 0;
    changedEnrollments += enrollments ? 1 : 0;
    if (stage || tier || segments || enrollments) {
      changed++;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("contactId", contactId);
      entry.put("active", a);
      entry.put("candidate", c);
      keepInSample(entry);
    }
  }

  /** Counts a contact whose start was corrected to the state its last event before the period recorded. */
  public void corrected() {
    startsCorrected++;
  }

  /** Counts a contact that could not be replayed. */
  public void failed(String contactId, Exception error) {
    errors++;
    if (errorSamples.size() < ERROR_SAMPLES) {
      errorSamples.add(contactId + ": " + error);
    }
  }

  /** Adds {@code other}'s counts to these. */
  public void add(SimulationTally other) {
    contacts += other.contacts;
    events += other.events;
    startsCorrected += other.startsCorrected;
    errors += other.errors;
    for (String sample : other.errorSamples) {
      if (errorSamples.size() < ERROR_SAMPLES) {
        errorSamples.add(sample);
      }
    }
    addAll(byType, other.byType);
    addAll(byRule, other.byRule);
    addAll(alerts, other.alerts);
    addAll(messages, other.messages);
    changed += other.changed;
    changedStage += other.changedStage;
    changedTier += other.changedTier;
    changedSegments += other.changedSegments;
    changedEnrollments += other.changedEnrollments;
    other.sample.values().forEach(this::keepInSample);
  }

  private void keepInSample(Map<String, Object> entry) {
    sample.put((String) entry.get("contactId"), entry);
    if (sample.size() > SAMPLE) {
      sample.pollLastEntry();
    }
  }

  /** The final state a simulation compares and shows, as JSON values. */
  static Map<String, Object> finalState(Contact contact) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("score", contact.score());
    state.put("stage", contact.stage().name());
    state.put("tier", contact.tier());
    state.put("segments", contact.segments().stream().sorted().toList());
    List<Object> enrollments = new ArrayList<>();
    for (Contact.Enrollment e : contact.enrollments()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("campaign", e.campaign());
      entry.put("enrolledAt", e.enrolledAt() == null ? null : e.enrolledAt().toString());
      entry.put("active", e.active());
      enrollments.add(entry);
    }
    state.put("enrollments", enrollments);
    return state;
  }

  private static String messageKey(Object campaign, Object step) {
    return (campaign == null ? "" : campaign.toString()) + SEPARATOR + (step == null ? "" : step.toString());
  }

  /** A message key's campaign (null for a {@code send} outside campaigns) and step. */
  static String[] campaignAndStep(String key) {
    int cut = key.indexOf(SEPARATOR);
    String campaign = key.substring(0, cut);
    return new String[] {campaign.isEmpty() ? null : campaign, key.substring(cut + 1)};
  }

  private static void add(Map<String, long[]> counts, String key, int side, long n) {
    counts.computeIfAbsent(key, k -> new long[2])[side] += n;
  }

  private static void addAll(Map<String, long[]> counts, Map<String, long[]> other) {
    other.forEach((key, n) -> {
      add(counts, key, ACTIVE, n[ACTIVE]);
      add(counts, key, CANDIDATE, n[CANDIDATE]);
    });
  }

  /** The result these counts give. */
  @SuppressWarnings("unchecked")
  public SimulationStatus.Result result() {
    List<SimulationStatus.TypeCount> types = new ArrayList<>();
    byType.forEach((k, n) -> types.add(new SimulationStatus.TypeCount(k, n[ACTIVE], n[CANDIDATE],
        n[CANDIDATE] - n[ACTIVE])));
    List<SimulationStatus.RuleCount> rules = new ArrayList<>();
    byRule.forEach((k, n) -> rules.add(new SimulationStatus.RuleCount(k, n[ACTIVE], n[CANDIDATE],
        n[CANDIDATE] - n[ACTIVE])));
    List<SimulationStatus.AlertCount> alerted = new ArrayList<>();
    alerts.forEach((k, n) -> alerted.add(new SimulationStatus.AlertCount(k, n[ACTIVE], n[CANDIDATE],
        n[CANDIDATE] - n[ACTIVE])));
    List<SimulationStatus.MessageCount> sent = new ArrayList<>();
    messages.forEach((k, n) -> {
      String[] cs = campaignAndStep(k);
      sent.add(new SimulationStatus.MessageCount(cs[0], cs[1], n[ACTIVE], n[CANDIDATE], n[CANDIDATE] - n[ACTIVE]));
    });
    List<SimulationStatus.Changed> shown = new ArrayList<>();
    for (Map<String, Object> entry : sample.values()) {
      shown.add(new SimulationStatus.Changed((String) entry.get("contactId"),
          state((Map<String, Object>) entry.get("active")), state((Map<String, Object>) entry.get("candidate"))));
    }
    return new SimulationStatus.Result(new SimulationStatus.Decisions(types, rules),
        new SimulationStatus.Changes(changed, changedStage, changedTier, changedSegments, changedEnrollments, shown),
        alerted, sent);
  }

  @SuppressWarnings("unchecked")
  private static SimulationStatus.FinalState state(Map<String, Object> stored) {
    List<SimulationStatus.FinalEnrollment> enrollments = new ArrayList<>();
    for (Object e : (List<Object>) stored.getOrDefault("enrollments", List.of())) {
      Map<String, Object> m = (Map<String, Object>) e;
      enrollments.add(new SimulationStatus.FinalEnrollment((String) m.get("campaign"),
          m.get("enrolledAt") == null ? null : java.time.Instant.parse((String) m.get("enrolledAt")),
          Boolean.TRUE.equals(m.get("active"))));
    }
    return new SimulationStatus.FinalState((int) number(stored.get("score")), (String) stored.get("stage"),
        (String) stored.get("tier"), ((List<Object>) stored.getOrDefault("segments", List.of())).stream()
            .map(String::valueOf).toList(), enrollments);
  }

  // ---- the stored form ----

  /**
   * The tally as plain JSON values, for a slice's document. Counts are lists of {@code {k, a, c}}
   * (key, active, candidate) rather than objects keyed by name: a rule's name is not a field name
   * the store accepts in every case (dots, an empty name).
   */
  public Map<String, Object> toDocument() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("contacts", contacts);
    out.put("events", events);
    out.put("startsCorrected", startsCorrected);
    out.put("errors", errors);
    out.put("errorSamples", List.copyOf(errorSamples));
    out.put("byType", rows(byType));
    out.put("byRule", rows(byRule));
    out.put("alerts", rows(alerts));
    out.put("messages", rows(messages));
    out.put("changed", changed);
    out.put("changedStage", changedStage);
    out.put("changedTier", changedTier);
    out.put("changedSegments", changedSegments);
    out.put("changedEnrollments", changedEnrollments);
    out.put("sample", new ArrayList<>(sample.values()));
    return out;
  }

  /** Back from {@link #toDocument()}'s form; an absent or empty one is an empty tally. */
  @SuppressWarnings("unchecked")
  public static SimulationTally fromDocument(Object stored) {
    SimulationTally tally = new SimulationTally();
    if (!(stored instanceof Map<?, ?> doc)) {
      return tally;
    }
    tally.contacts = number(doc.get("contacts"));
    tally.events = number(doc.get("events"));
    tally.startsCorrected = number(doc.get("startsCorrected"));
    tally.errors = number(doc.get("errors"));
    if (doc.get("errorSamples") instanceof List<?> samples) {
      samples.forEach(s -> tally.errorSamples.add(String.valueOf(s)));
    }
    readRows(doc.get("byType"), tally.byType);
    readRows(doc.get("byRule"), tally.byRule);
    readRows(doc.get("alerts"), tally.alerts);
    readRows(doc.get("messages"), tally.messages);
    tally.changed = number(doc.get("changed"));
    tally.changedStage = number(doc.get("changedStage"));
    tally.changedTier = number(doc.get("changedTier"));
    tally.changedSegments = number(doc.get("changedSegments"));
    tally.changedEnrollments = number(doc.get("changedEnrollments"));
    if (doc.get("sample") instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof Map<?, ?> m) {
          tally.keepInSample(new LinkedHashMap<>((Map<String, Object>) m));
        }
      }
    }
    return tally;
  }

  private static List<Object> rows(Map<String, long[]> counts) {
    List<Object> rows = new ArrayList<>(counts.size());
    counts.forEach((key, n) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("k", key);
      row.put("a", n[ACTIVE]);
      row.put("c", n[CANDIDATE]);
      rows.add(row);
    });
    return rows;
  }

  private static void readRows(Object stored, Map<String, long[]> into) {
    if (stored instanceof List<?> rows) {
      for (Object row : rows) {
        if (row instanceof Map<?, ?> m && m.get("k") instanceof String key) {
          add(into, key, ACTIVE, number(m.get("a")));
          add(into, key, CANDIDATE, number(m.get("c")));
        }
      }
    }
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }
}
