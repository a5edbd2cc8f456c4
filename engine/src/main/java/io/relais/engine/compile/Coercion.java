package io.relais.engine.compile;

import io.relais.dsl.ast.ValueType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
}
