package io.relais.engine.contact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values as plain JSON values (maps, lists, strings, numbers, booleans, null), exactly as the
 * service's object mapper converts them ({@code convertValue(value, Object.class)}), written by
 * hand: the contacts and decisions of every event go through this, and the object mapper writes
 * each value out and reads it back. Dates and times become ISO text, stages their names,
 * numbers stay of their class; anything else goes to the object mapper.
 */
public final class JsonValues {

  /**
   * For values of other types than the documented shapes hold (none on the service's paths):
   * configured as the service's object mappers are for what they write (ISO dates).
   */
  private static final ObjectMapper OTHERS = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private JsonValues() {}

  /** {@code value} as plain JSON values; maps and lists are fresh mutable copies, in order. */
  public static Object plain(Object value) {
    if (isScalar(value)) {
      return value;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    if (value instanceof Stage stage) {
      return stage.name();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>(capacity(map.size()));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return OTHERS.convertValue(value, Object.class); // keys written by the mapper's rules
        }
        out.put(key, plain(e.getValue()));
      }
      return out;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> out = new ArrayList<>(collection.size());
      for (Object item : collection) {
        out.add(plain(item));
      }
      return out;
    }
    return OTHERS.convertValue(value, Object.class);
  }

  /** A map of {@code values} as plain JSON values, in its order. */
  public static Map<String, Object> plainMap(Map<String, ?> values) {
    Map<String, Object> out = new LinkedHashMap<>(capacity(values.size()));
    values.forEach((k, v) -> out.put(k, plain(v)));
    return out;
  }

  /**
   * Whether {@code value} is made of plain JSON values only (as a document read from the store
   * is), so reading it needs no conversion first.
   */
  public static boolean isPlain(Object value) {
    if (isScalar(value)) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String) || !isPlain(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!isPlain(item)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  // A JSON scalar as the object mapper gives it: kept as it is, by both methods above.
  private static boolean isScalar(Object value) {
    return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double || value instanceof BigDecimal
        || value instanceof BigInteger;
  }

  static int capacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f + 1);
  }
}
