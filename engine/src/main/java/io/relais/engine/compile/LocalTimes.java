package io.relais.engine.compile;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local date and time of an evaluation's {@code now} in a zone, the same as {@code
 * now.atZone(zone)} gives, without asking the zone's rules for the offset each time. For a zone
 * with daylight saving time and an instant after the last transition its rules list (every
 * date of this decade in Europe), the JDK finds the year's transitions in a map per call; an
 * evaluation asks several times (today, days since an event), about 4 % of a 50-rule decision.
 * The offset holds between two transitions, so each zone's span around the last {@code now}
 * asked (the offset and the instants it holds for) is remembered, and a {@code now} inside it
 * takes an addition. Meant for {@code now}: consecutive evaluations' {@code now}s share a span;
 * other instants (history events) are read with {@code atZone}, or they would replace the span
 * back and forth.
 */
public final class LocalTimes {

  /** Zones whose span is remembered; past this many, an instant of another zone asks the JDK. */
  static final int MAX_ZONES = 256;

  /** In {@code zone}, {@code offset} holds from {@code from} (inclusive) to {@code until}. */
  private record Span(ZoneId zone, long from, long until, ZoneOffset offset) {
    boolean holds(long epochSecond) {
      return epochSecond >= from && epochSecond < until;
    }
  }

  private static final ConcurrentHashMap<ZoneId, Span> SPANS = new ConcurrentHashMap<>();
  /**
   * The span last read or made, of any zone: most evaluations use one zone (the ruleset's), and
   * a field read and an equality of ids cost less than the map's lookup. Immutable, so a thread
   * sees a whole span or an older one.
   */
  private static volatile Span recent = new Span(ZoneOffset.UTC, 0, 0, ZoneOffset.UTC);

  private LocalTimes() {}

  /** {@code instant.atZone(zone).toLocalDate()}. */
  public static LocalDate date(Instant instant, ZoneId zone) {
    int offset = spanOf(instant, zone).offset.getTotalSeconds();
    return LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond() + offset, 86_400L));
  }

  /** {@code instant.atZone(zone).toLocalDateTime()}. */
  public static LocalDateTime dateTime(Instant instant, ZoneId zone) {
    return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(),
        spanOf(instant, zone).offset);
  }

  /**
   * Whole days from {@code then} to {@code now} in {@code zone}, rounded down: between their
   * local date-times, so a DST change in between neither adds nor loses a day. {@code now} is
   * the evaluation's (its span remembered); {@code then}, a history instant, asks the JDK.
   */
  public static long daysBetween(Instant then, Instant now, ZoneId zone) {
    return ChronoUnit.DAYS.between(then.atZone(zone).toLocalDateTime(), dateTime(now, zone));
  }

  private static Span spanOf(Instant instant, ZoneId zone) {
    long second = instant.getEpochSecond();
    Span last = recent;
    if (last.holds(second) && last.zone.equals(zone)) {
      return last;
    }
    Span span = SPANS.get(zone);
    if (span != null && span.holds(second)) {
      recent = span;
      return span;
    }
    Span now = spanAt(zone, instant);
    recent = now;
    // Bounded: a zone is user input (a contact's timeZone), and fixed offsets alone are many.
    if (span != null || SPANS.size() < MAX_ZONES) {
      SPANS.put(zone, now);
    }
    return now;
  }

  /** The span of {@code rules}' offset that holds at {@code instant}. */
  private static Span spanAt(ZoneId zone, Instant instant) {
    ZoneRules rules = zone.getRules();
    ZoneOffset offset = rules.getOffset(instant);
    if (rules.isFixedOffset()) {
      return new Span(zone, Long.MIN_VALUE, Long.MAX_VALUE, offset);
    }
    // Transitions fall on whole seconds, and previousTransition is strictly before its
    // argument: the one before the next second is the last at or before this instant's second.
    ZoneOffsetTransition previous =
        rules.previousTransition(Instant.ofEpochSecond(instant.getEpochSecond() + 1));
    ZoneOffsetTransition next = rules.nextTransition(instant);
    return new Span(zone, previous == null ? Long.MIN_VALUE : previous.toEpochSecond(),
        next == null ? Long.MAX_VALUE : next.toEpochSecond(), offset);
  }

  /** Zones remembered, for tests. */
  static int remembered() {
    return SPANS.size();
  }
}
