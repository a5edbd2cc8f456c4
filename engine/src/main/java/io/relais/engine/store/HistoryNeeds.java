package io.relais.engine.store;

import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.program.Period;
import io.relais.dsl.program.Program;
import io.relais.dsl.program.Value;
import io.relais.dsl.schema.Schema;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which recorded events a ruleset can ever read, so the store reads only those: per event
 * type, how far back ({@code count}/{@code sum} with {@code within}; without it, all of that
 * type), and the types of which only the newest one matters ({@code days since last T}).
 * {@code contact.recency} needs the last purchase, {@code contact.frequency} and
 * {@code contact.monetary} the purchases of the last 365 days.
 *
 * <p>Computed once per ruleset version from its checked program: every value it reads
 * ({@link Program#eachValue}), in rule conditions and operations, message placeholders,
 * campaign exit conditions and decision table inputs.
 *
 * @param windows event type to how far back its events are read; an empty length means all
 * @param lastOnly event types of which the newest event (at or before now) is read
 */
public record HistoryNeeds(Map<String, Optional<Duration>> windows, Set<String> lastOnly) {


  public HistoryNeeds {
    windows = Collections.unmodifiableMap(new LinkedHashMap<>(windows));
    lastOnly = Collections.unmodifiableSet(new LinkedHashSet<>(lastOnly));
  }

  /** A ruleset that reads no history. */
  public boolean none() {
    return windows.isEmpty() && lastOnly.isEmpty();
  }

  /** Every event type whose events may be read. */
  public Set<String> types() {
    Set<String> all = new LinkedHashSet<>(windows.keySet());
    all.addAll(lastOnly);
    return all;
  }

  /** What the rules, campaigns and decision tables of {@code ruleset} read. */
  public static HistoryNeeds of(CheckedRuleset ruleset) {
    return of(ruleset.program());
  }

  /** What the rules, campaign exits and table inputs of {@code program} read. */
  public static HistoryNeeds of(Program program) {
    Reads reads = new Reads();
    program.eachValue(value -> value.accept(reads));
    return reads.result();
  }

  /** What one value reads of the history; the values inside it are visited on their own. */
  private static final class Reads implements Value.Visitor<Void> {
    private final Map<String, Optional<Duration>> windows = new LinkedHashMap<>();
    private final Set<String> lastOnly = new LinkedHashSet<>();

    @Override
    public Void count(Value.Count v) {
      return widen(v.eventType(), v.within().map(Period::length));
    }

    @Override
    public Void sum(Value.Sum v) {
      return widen(v.eventType(), v.within().map(Period::length));
    }

    @Override
    public Void daysSinceLast(Value.DaysSinceLast v) {
      lastOnly.add(v.eventType());
      return null;
    }

    @Override
    public Void contactField(Value.ContactField v) {
      if (v.declared()) {
        return null;
      }
      // What a derived field reads of the history is the schema's (docs/engine.md, "The schema").
      Schema.field(v.jsonPath()).flatMap(Schema.Field::history).ifPresent(h -> {
        if (h.lastOnly()) {
          lastOnly.add(h.eventType());
        } else {
          widen(h.eventType(), h.window());
        }
      });
      return null;
    }

    @Override
    public Void literal(Value.Literal v) {
      return null;
    }

    @Override
    public Void constant(Value.Constant v) {
      return null;
    }

    @Override
    public Void eventAttribute(Value.EventAttribute v) {
      return null;
    }

    @Override
    public Void countedAttribute(Value.CountedAttribute v) {
      return null;
    }

    @Override
    public Void tagCount(Value.TagCount v) {
      return null;
    }

    @Override
    public Void decision(Value.Decision v) {
      return null;
    }

    @Override
    public Void arithmetic(Value.Arithmetic v) {
      return null;
    }

    @Override
    public Void test(Value.Test v) {
      return null;
    }

    private Void widen(String type, Optional<Duration> length) {
      Optional<Duration> known = windows.get(type);
      if (known == null) {
        windows.put(type, length);
      } else if (known.isPresent()) {
        windows.put(type, length.isEmpty() ? length
            : Optional.of(known.get().compareTo(length.get()) >= 0 ? known.get() : length.get()));
      }
      return null;
    }

    HistoryNeeds result() {
      Set<String> last = new LinkedHashSet<>(lastOnly);
      // The newest event of a type read whole is in the whole read already.
      last.removeIf(type -> windows.containsKey(type) && windows.get(type).isEmpty());
      return new HistoryNeeds(windows, last);
    }
  }
}
