package io.relais.engine.contact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
      return iso(instant);
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

  /** The first and last second {@link #iso} writes itself: years 0000 to 9999. */
  private static final long FIRST_SECOND = -62_167_219_200L;
  private static final long LAST_SECOND = 253_402_300_799L;

  /**
   * {@code instant.toString()} (ISO-8601 in UTC, the fraction in groups of three digits), written
   * without the formatter for years 0000 to 9999: every decision has some instants, and the
   * formatter cost more than writing the rest of the answer's values.
   */
  public static String iso(Instant instant) {
    byte[] out = new byte[ISO_LENGTH];
    int length = iso(instant, out);
    return length < 0 ? instant.toString() : new String(out, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** The longest text {@link #iso(Instant, byte[])} writes. */
  public static final int ISO_LENGTH = 30;

  /**
   * Writes {@link #iso(Instant)}'s text into {@code out} (at least {@link #ISO_LENGTH} long) as
   * ASCII, for an answer written as bytes; returns its length, or -1 for a year outside 0000 to
   * 9999 (nothing written: the caller writes {@code instant.toString()}).
   */
  public static int iso(Instant instant, byte[] out) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      return -1;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int ofDay = (int) Math.floorMod(seconds, 86_400L);
    int nanos = instant.getNano();
    digits(out, 0, date.getYear(), 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, ofDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, ofDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, ofDay % 60, 2);
    int length = 19;
    if (nanos > 0) {
      out[length++] = '.';
      int fraction = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
      digits(out, length, nanos / POWERS[9 - fraction], fraction);
      length += fraction;
    }
    out[length++] = 'Z';
    return length;
  }

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  // `value` in `count` decimal digits, zeros first.
  private static void digits(byte[] out, int at, int value, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
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
