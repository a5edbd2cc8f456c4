package io.relais.engine.store;

import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Template;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Resolutions;
import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.program.Program;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * <p>Computed once per ruleset version by walking its checked syntax tree: rule conditions and
 * actions, templates, campaign exit conditions, and any expression a declaration holds.
 *
 * @param windows event type to how far back its events are read; an empty length means all
 * @param lastOnly event types of which the newest event (at or before now) is read
 */
public record HistoryNeeds(Map<String, Optional<Duration>> windows, Set<String> lastOnly) {

  static final String PURCHASE = "purchase";
  static final Duration YEAR = Duration.ofDays(365);

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

  /** What the rules, campaigns and declarations of {@code ruleset} read. */
  public static HistoryNeeds of(CheckedRuleset ruleset) {
    Walker walker = new Walker();
    for (RecordComponent component : CheckedRuleset.class.getRecordComponents()) {
      Class<?> type = component.getType();
      // The vocabulary and the resolutions describe names, not rules: nothing there reads
      // history; the program is the same rules again, lowered.
      if (type == Vocabulary.class || type == Resolutions.class || type == Program.class) {
        continue;
      }
      walker.visit(read(component, ruleset));
    }
    return walker.result();
  }

  private static final class Walker {
    private final Map<String, Optional<Duration>> windows = new LinkedHashMap<>();
    private final Set<String> lastOnly = new LinkedHashSet<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    void visit(Object node) {
      if (node == null || node instanceof String || node instanceof Number || node instanceof Enum<?>
          || node instanceof Boolean || node instanceof java.time.temporal.Temporal
          || node instanceof java.time.ZoneId || !seen.add(node)) {
        return;
      }
      if (node instanceof Expr.Count count) {
        window(count.type().text(), count.within());
      } else if (node instanceof Expr.Sum sum) {
        window(sum.type().text(), sum.within());
      } else if (node instanceof Expr.DaysSinceLast last) {
        lastOnly.add(last.type().text());
      } else if (node instanceof Expr.Path path) {
        contactField(path.parts());
      } else if (node instanceof Template.Placeholder placeholder) {
        contactField(placeholder.path());
      }
      if (node instanceof Optional<?> optional) {
        optional.ifPresent(this::visit);
      } else if (node instanceof Collection<?> items) {
        items.forEach(this::visit);
      } else if (node instanceof Map<?, ?> map) {
        map.values().forEach(this::visit);
      } else if (node instanceof Record record) {
        // Every child, whatever its kind: a node type added later is walked too.
        for (RecordComponent component : record.getClass().getRecordComponents()) {
          visit(read(component, record));
        }
      }
    }

    private void contactField(List<String> parts) {
      if (parts.size() != 2 || !"contact".equals(parts.get(0))) {
        return;
      }
      switch (parts.get(1)) {
        case "recency" -> lastOnly.add(PURCHASE);
        case "frequency", "monetary" -> widen(PURCHASE, Optional.of(YEAR));
        default -> { }
      }
    }

    private void window(String type, Optional<DurationLiteral> within) {
      widen(type, within.map(DurationLiteral::toDuration));
    }

    private void widen(String type, Optional<Duration> length) {
      Optional<Duration> known = windows.get(type);
      if (known == null) {
        windows.put(type, length);
      } else if (known.isPresent()) {
        windows.put(type, length.isEmpty() ? length
            : Optional.of(known.get().compareTo(length.get()) >= 0 ? known.get() : length.get()));
      }
    }

    HistoryNeeds result() {
      Set<String> last = new LinkedHashSet<>(lastOnly);
      // The newest event of a type read whole is in the whole read already.
      last.removeIf(type -> windows.containsKey(type) && windows.get(type).isEmpty());
      return new HistoryNeeds(windows, last);
    }
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
    }
  }
}
