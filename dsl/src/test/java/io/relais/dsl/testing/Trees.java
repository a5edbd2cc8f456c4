package io.relais.dsl.testing;

import io.relais.dsl.source.SourceSpan;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/** Syntax trees compared by content: every position erased. */
public final class Trees {

  private Trees() {}

  /** A copy of {@code node} (any record tree) with every {@link SourceSpan} set to NONE. */
  @SuppressWarnings("unchecked")
  public static <T> T withoutSpans(T node) {
    return (T) erase(node);
  }

  private static Object erase(Object value) {
    if (value instanceof SourceSpan) {
      return SourceSpan.NONE;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Trees::erase).toList();
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(Trees::erase);
    }
    if (value instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      try {
        for (int i = 0; i < components.length; i++) {
          components[i].getAccessor().setAccessible(true);
          values[i] = erase(components[i].getAccessor().invoke(record));
          types[i] = components[i].getType();
        }
        Constructor<?> constructor = record.getClass().getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot copy " + record.getClass(), e);
      }
    }
    return value;
  }
}
