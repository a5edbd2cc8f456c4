package io.relais.engine.compile;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one phase's snapshot computed once for all its rules (a DMN table's result, docs/language.md
 * section 11) and the warnings that came with it. One per phase of one evaluation, on one
 * thread: not thread-safe, like the phase itself.
 */
public final class PhaseMemo {

  // Created on first use: most phases read no table, and a memo is made per phase.
  private Map<Object, Object> values;
  private List<String> warnings;

  /** The value stored under {@code key} (compared by identity), computed on first use. */
  @SuppressWarnings("unchecked")
  public <T> T computeIfAbsent(Object key, Supplier<T> compute) {
    if (values == null) {
      values = new IdentityHashMap<>();
    }
    Object value = values.get(key);
    if (value == null) {
      value = compute.get();
      values.put(key, value);
    }
    return (T) value;
  }

  /** The value under {@code key} if it was computed in this phase. */
  @SuppressWarnings("unchecked")
  public <T> T peek(Object key) {
    return values == null ? null : (T) values.get(key);
  }

  public void warn(String warning) {
    if (warnings == null) {
      warnings = new ArrayList<>();
    }
    warnings.add(warning);
  }

  /** The warnings so far, for the decision's {@code warnings}. */
  public List<String> warnings() {
    return warnings == null ? List.of() : List.copyOf(warnings);
  }
}
