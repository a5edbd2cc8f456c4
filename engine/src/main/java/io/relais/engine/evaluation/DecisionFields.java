package io.relais.engine.evaluation;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A decision's fields: an immutable map in the order given, held as one array of alternating
 * names and values (a decision has a handful of fields; a hash map per decision cost more than
 * the rest of the decision). Values may be {@code null}, as in a map.
 */
final class DecisionFields extends AbstractMap<String, Object> {

  private final Object[] namesAndValues;

  /** Takes ownership of the array: the caller must not change it afterwards. */
  private DecisionFields(Object[] namesAndValues) {
    this.namesAndValues = namesAndValues;
  }

  /** Fields from alternating names and values; a repeated name keeps its first place and last value. */
  static DecisionFields of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      for (int j = 0; j < i; j += 2) {
        if (name.equals(namesAndValues[j])) {
          return copyOf(new java.util.LinkedHashMap<>(pairs(namesAndValues)));
        }
      }
    }
    return new DecisionFields(namesAndValues);
  }

  private static Map<String, Object> pairs(Object[] namesAndValues) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  /** {@code fields} itself when it is already such a map, else a copy in its iteration order. */
  static DecisionFields copyOf(Map<String, Object> fields) {
    if (fields instanceof DecisionFields frozen) {
      return frozen;
    }
    Object[] array = new Object[fields.size() * 2];
    int i = 0;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      array[i++] = java.util.Objects.requireNonNull(e.getKey(), "field name");
      array[i++] = e.getValue();
    }
    return new DecisionFields(array);
  }

  /** The name of field {@code i}, in order (for writing the fields out without an entry each). */
  String name(int i) {
    return (String) namesAndValues[2 * i];
  }

  /** The value of field {@code i}, in order. */
  Object value(int i) {
    return namesAndValues[2 * i + 1];
  }

  @Override
  public int size() {
    return namesAndValues.length / 2;
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public Object get(Object name) {
    int at = indexOf(name);
    return at < 0 ? null : namesAndValues[at + 1];
  }

  private int indexOf(Object name) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < namesAndValues.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= namesAndValues.length) {
              throw new NoSuchElementException();
            }
            // SimpleImmutableEntry allows a null value and refuses setValue.
            Map.Entry<String, Object> entry = new AbstractMap.SimpleImmutableEntry<>(
                (String) namesAndValues[next], namesAndValues[next + 1]);
            next += 2;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return namesAndValues.length / 2;
      }
    };
  }
}
