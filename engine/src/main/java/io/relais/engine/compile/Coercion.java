package io.relais.engine.compile;

import io.relais.dsl.ast.ValueType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Data of the wrong type (docs/language.md ("Rules, kinds and phases")): contacts and events arrive as JSON, and a value
 * reads as its declared type when it can (a number from {@code "12.50"}, as Elasticsearch
 * coerces; a date or date-time from ISO-8601 text; a boolean from {@code "true"}); anything
 * else reads as empty, and the caller reports the field and the value in the warnings.
 */
public final class Coercion {

  /** What {@link #read} returns for a value that cannot be read as the type. */
  public static final Object INVALID = new Object() {
    @Override
    public String toString() {
      return "invalid";
    }
  };

  /**
   * The first and last days Relais reads as dates: years 1 to 9999, ISO 8601's four-digit years.
   * Java parses years up to a billion, but the store's date fields do not hold them: a value
   * outside is a value of the wrong type, never a failed write.
   */
  public static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);
  public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
  /** The first and last instants of those days, in UTC. */
  public static final Instant FIRST_INSTANT = FIRST_DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
  public static final Instant LAST_INSTANT =
      LAST_DAY.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minusNanos(1);

  private Coercion() {}

  /** Whether {@code instant} lies within years 1 to 9999 (UTC). */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(FIRST_INSTANT) && !instant.isAfter(LAST_INSTANT);
  }

  private static Object checked(LocalDate date) {
    return date.isBefore(FIRST_DAY) || date.isAfter(LAST_DAY) ? INVALID : date;
  }

  private static Object checked(Instant instant) {
    return inRange(instant) ? instant : INVALID;
  }

  /**
   * {@code raw} as {@code type}: {@code null} for no value, {@link #INVALID} for a value of
   * the wrong type. Date-times without an offset and dates are read in {@code zone}.
   */
  public static Object read(Object raw, ValueType type, ZoneId zone) {
    if (raw == null) {
      return null;
    }
    return switch (type) {
      case NUMBER -> number(raw);
      case TEXT -> text(raw);
      case BOOLEAN -> bool(raw);
      case DATE -> date(raw, zone) instanceof LocalDate d ? checked(d) : INVALID;
      case DATETIME -> dateTime(raw, zone) instanceof Instant i ? checked(i) : INVALID;
      // Stages come from the contact's typed field, read when the JSON is.
      case STAGE -> raw;
    };
  }

  /** A number from a JSON number or a text that reads as one. */
  public static Object number(Object raw) {
    if (raw instanceof Number || raw instanceof String) {
      Object n = raw instanceof String s ? parseNumber(s) : Values.normalize(raw);
      return n instanceof BigDecimal ? n : INVALID;
    }
    return INVALID;
  }

  /**
   * Numbers beyond 10^400 or with more than 400 decimals are not read: {@code "1e999999999"}
   * is valid BigDecimal text, but flooring it to a whole number would build a billion digits.
   */
  private static final int MAX_DIGITS = 400;

  private static Object parseNumber(String text) {
    if (text.length() > 2 * MAX_DIGITS) {
      return INVALID;
    }
    try {
      BigDecimal n = new BigDecimal(text.trim());
      return n.precision() - n.scale() > MAX_DIGITS || n.scale() > MAX_DIGITS ? INVALID : n;
    } catch (NumberFormatException e) {
      return INVALID;
    }
  }

  // Text accepts any scalar as the JSON text it is (as an Elasticsearch keyword does);
  // objects and lists have no text.
  private static Object text(Object raw) {
    if (raw instanceof String) {
      return raw;
    }
    if (raw instanceof Map || raw instanceof Collection || raw.getClass().isArray()) {
      return INVALID;
    }
    Object n = Values.normalize(raw);
    return n instanceof BigDecimal b ? b.toPlainString() : String.valueOf(raw);
  }

  private static Object bool(Object raw) {
    if (raw instanceof Boolean) {
      return raw;
    }
    if (raw instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("false")) {
        return Boolean.valueOf(t);
      }
    }
    return INVALID;
  }

  private static Object date(Object raw, ZoneId zone) {
    if (raw instanceof LocalDate) {
      return raw;
    }
    if (raw instanceof Instant i) {
      return i.atZone(zone).toLocalDate();
    }
    if (raw instanceof String s) {
      String t = s.trim();
      try {
        return LocalDate.parse(t);
      } catch (DateTimeParseException e) {
        Object instant = dateTime(t, zone);
        return instant instanceof Instant i ? i.atZone(zone).toLocalDate() : INVALID;
      }
    }
    return INVALID;
  }

  private static Object dateTime(Object raw, ZoneId zone) {
    if (raw instanceof Instant) {
      return raw;
    }
    if (raw instanceof LocalDate d) {
      return d.atStartOfDay(zone).toInstant();
    }
    if (!(raw instanceof String s)) {
      return INVALID;
    }
    String t = s.trim();
    Instant stored = parseIso(t);
    if (stored != null) {
      return stored;
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(t).atZone(zone).toInstant();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
          return INVALID;
        }
      }
    }
  }

  /** The warning for a value of the wrong type, naming the field and the value. */
  public static String warning(String field, Object raw, ValueType type) {
    return field + " is " + shown(raw) + ", not " + article(type) + ": read as empty";
  }

  /** A value as a warning quotes it: text in quotes, cut after 80 characters. */
  public static String shown(Object raw) {
    String text = raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  private static String article(ValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case TEXT -> "a text";
      case BOOLEAN -> "true or false";
      case DATE -> "a date (2026-11-27)";
      case DATETIME -> "a date-time (2026-11-27T10:00:00Z)";
      case STAGE -> "a stage";
    };
  }

  private static final int[] TENS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  /**
   * {@link Instant#parse}: the text {@code JsonValues.iso} writes (what the store holds) read
   * without the formatter, anything else by {@code Instant.parse}. Reading a contact reads every instant of
   * its state and recent events, and the formatter cost more than the rest of that reading.
   */
  public static Instant instant(String text) {
    Instant fast = parseIso(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /**
   * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (years 0000 to 9999, one to nine digits of
   * fraction, a valid date and time), or null for any other text, which the caller reads with
   * the formatter: for these texts {@code Instant.parse} and {@code OffsetDateTime.parse} give
   * this instant, and they reject the same invalid dates (a null here, then their exception).
   */
  public static Instant parseIso(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21;
      if (text.charAt(19) != '.' || fraction < 1) {
        return null;
      }
      int digits = digits(text, 20, fraction);
      if (digits < 0) {
        return null;
      }
      nanos = digits * TENS[9 - fraction];
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  // The decimal number of `count` ASCII digits at `at`, or -1 if any is not a digit.
  private static int digits(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
