package io.relais.engine.audience;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.engine.registry.RulesetVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conditions checked and pushed down, remembered: checking a condition means checking it with
 * the whole ruleset's declarations, which costs more than counting. The query is a pure
 * function of the ruleset version's files and the condition's text (the push-down reads no
 * clock), so it is kept by (ruleset name, version, condition) in a bounded least-recently-used
 * map. An entry also remembers the files it was checked with and is not reused for others (a
 * ruleset deleted and created again may number its versions from 1 again). Refused conditions
 * are not kept: they are checked again each time. Safe for concurrent use.
 */
public final class PushedConditions {

  /** Conditions kept by default; one entry is a query tree, a few KB at most. */
  public static final int DEFAULT_CAPACITY = 1_000;

  private record Key(String ruleset, int version, String condition) {}

  private record Entry(Map<String, String> files, PushDown.Plan plan) {}

  private final Map<Key, Entry> entries;

  public PushedConditions(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The query of {@code condition} checked with {@code version}, for uses that need the store
   * to match exactly (leads, funnels): a condition with a residual is refused there.
   *
   * @throws AudienceCondition.InvalidConditionException for a condition with errors
   * @throws NotPushableException when a part of it cannot run in the store
   */
  public Query query(RulesetVersion version, String condition) {
    return query(version.name(), version.version(), version.files(), condition);
  }

  /** The exact query of {@code condition} checked with the ruleset version whose files are {@code files}. */
  public Query query(String ruleset, int version, Map<String, String> files, String condition) {
    PushDown.Plan plan = plan(ruleset, version, files, condition);
    if (plan.residual().isPresent()) {
      // Translated whole again only to name the part the store cannot run.
      PushDown.translate(AudienceCondition.check(ruleset, files, condition));
    }
    return plan.query();
  }

  /**
   * The plan of {@code condition} checked with {@code version}: a store query and maybe a
   * residual (docs/audiences.md, "Residual scans").
   */
  public PushDown.Plan plan(RulesetVersion version, String condition) {
    return plan(version.name(), version.version(), version.files(), condition);
  }

  /** The plan of {@code condition} checked with the ruleset version whose files are {@code files}. */
  public PushDown.Plan plan(String ruleset, int version, Map<String, String> files, String condition) {
    Key key = new Key(ruleset, version, condition);
    Entry found;
    synchronized (entries) {
      found = entries.get(key);
    }
    if (found != null && (found.files() == files || found.files().equals(files))) {
      return found.plan();
    }
    // Checked outside the lock: two callers may check the same condition at once, both right.
    PushDown.Plan plan = PushDown.plan(AudienceCondition.check(ruleset, files, condition));
    synchronized (entries) {
      entries.put(key, new Entry(files, plan));
    }
    return plan;
  }

  /** Conditions kept now. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
