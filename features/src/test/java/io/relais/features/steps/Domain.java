package io.relais.features.steps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small domain objects QA's words and tables become (see {@link ParameterTypes}). */
final class Domain {

  private Domain() {}

  private static final Pattern RELATIVE =
      Pattern.compile("(?:(in) )?(\\d+) (minute|hour|day|week)s?(?: (ago))?");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  /** An amount of money: {@code 235.50 EUR}. */
  record Money(BigDecimal amount, String currency) {}

  /** A time without a zone, or with a zone or offset of its own: {@code 2026-11-22T10:00 Europe/Paris}. */
  record Moment(LocalDateTime local, Optional<ZoneId> zone) {

    Instant in(ZoneId fallback) {
      return local.atZone(zone.orElse(fallback)).toInstant();
    }
  }

  /**
   * A time as QA writes it in a table: {@code now}, {@code 3 days ago}, {@code in 7 days},
   * {@code 2026-11-20} (10:00 that day), {@code 2026-11-20T09:30} (the scenario's zone) or with an
   * offset ({@code 2026-11-20T09:30Z}).
   */
  record When(String text) {

    Instant resolve(Instant now, ZoneId zone) {
      String t = text.trim();
      if (t.equals("now")) {
        return now;
      }
      Matcher relative = RELATIVE.matcher(t);
      if (relative.matches() && (relative.group(1) != null) != (relative.group(4) != null)) {
        Duration d = duration(Long.parseLong(relative.group(2)), relative.group(3));
        return relative.group(1) != null ? now.plus(d) : now.minus(d);
      }
      try {
        if (t.length() == 10) {
          return LocalDate.parse(t).atTime(World.TIME_OF_DAY).atZone(zone).toInstant();
        }
        if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:\\d{2}$")) {
          return OffsetDateTime.parse(t).toInstant();
        }
        return LocalDateTime.parse(t).atZone(zone).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not a time: write now, 3 days ago, in 7 days,"
            + " 2026-11-20, 2026-11-20T09:30 or 2026-11-20T09:30Z");
      }
    }
  }

  /** A past event of the contact's history (one table row): type, when, attributes. */
  record HistoryEvent(String id, String type, When at, Map<String, Object> attributes) {}

  /** One event written as a two-column table of names and values. */
  record EventSpec(String id, String type, Optional<When> at, Map<String, Object> attributes) {}

  /** A contact's fields as QA gives them, already in the JSON the service takes. */
  record ContactProfile(ObjectNode json) {}

  /** A lot of loyalty points the contact already holds. */
  record PointsLot(BigDecimal points, When earned, Optional<When> expires, String reason, String rule) {}

  /** One expected decision: the columns QA wrote, each a field of the decision's JSON. */
  record ExpectedDecision(Map<String, String> fields) {}

  /** One expected step of a campaign enrollment. */
  record PlannedStep(String message, When dueAt) {}

  static Duration duration(long amount, String unit) {
    return switch (unit) {
      case "minute" -> Duration.ofMinutes(amount);
      case "hour" -> Duration.ofHours(amount);
      case "day" -> Duration.ofDays(amount);
      case "week" -> Duration.ofDays(7 * amount);
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** A cell's value as JSON would carry it: numbers and booleans typed, the rest text. */
  static Object value(String cell) {
    String t = cell.trim();
    if (NUMBER.matcher(t).matches()) {
      return new BigDecimal(t);
    }
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    return t;
  }

  /** The attributes of a row: every column but the named ones, empty cells left out. */
  static Map<String, Object> attributes(Map<String, String> row, String... reserved) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    row.forEach((name, cell) -> {
      if (cell != null && !java.util.List.of(reserved).contains(name)) {
        attributes.put(name, value(cell));
      }
    });
    return attributes;
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
