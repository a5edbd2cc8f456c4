package io.relais.engine.contact;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The insertion-ordered immutable maps and sets a {@link Contact} holds. A contact built from
 * another contact's frozen collection keeps it as it is instead of copying it again: an
 * evaluation makes a contact per phase, and most of its collections did not change. A frozen
 * collection owns its copy, so nothing outside can change it.
 */
final class Frozen {

  private Frozen() {}

  /** {@code map} itself when frozen, else a frozen copy. */
  static <K, V> Map<K, V> map(Map<K, V> map) {
    if (map instanceof FrozenMap<K, V> frozen) {
      return frozen;
    }
    return map.isEmpty() ? Map.of() : new FrozenMap<>(new LinkedHashMap<>(map));
  }

  /** {@code set} itself when frozen, else a frozen copy. */
  static <E> Set<E> set(Set<E> set) {
    if (set instanceof FrozenSet<E> frozen) {
      return frozen;
    }
    return set.isEmpty() ? Set.of() : new FrozenSet<>(new LinkedHashSet<>(set));
  }

  private static final class FrozenMap<K, V> extends AbstractMap<K, V> {
    private final Map<K, V> inner;
    private final Set<Map.Entry<K, V>> entries;

    FrozenMap(Map<K, V> inner) {
      this.inner = inner;
      this.entries = Collections.unmodifiableMap(inner).entrySet();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
      return entries;
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public boolean isEmpty() {
      return inner.isEmpty();
    }

    @Override
    public V get(Object key) {
      return inner.get(key);
    }

    @Override
    public V getOrDefault(Object key, V fallback) {
      return inner.getOrDefault(key, fallback);
    }

    @Override
    public boolean containsKey(Object key) {
      return inner.containsKey(key);
    }
  }

  private static final class FrozenSet<E> extends AbstractSet<E> {
    private final Set<E> inner;

    FrozenSet(Set<E> inner) {
      this.inner = inner;
    }

    @Override
    public Iterator<E> iterator() {
      return Collections.unmodifiableSet(inner).iterator();
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public boolean contains(Object o) {
      return inner.contains(o);
    }
  }
}
