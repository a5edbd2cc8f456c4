package io.relais.engine.compile;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What compiled conditions read: one contact at one instant, the triggering event and the
 * history. Implementations are immutable snapshots (one per phase), so every rule of a phase
 * sees the same state. Values are {@link java.math.BigDecimal} numbers, {@link String} text,
 * {@link Boolean}, {@link java.time.LocalDate} dates, {@link Instant} date-times and
 * {@link io.relais.dsl.ast.Stage} stages; {@code null} is empty.
 */
public interface Facts {

  /** The evaluation's "now". */
  Instant now();

  /** The ruleset's zone: calendar notions (days, birthdays, ages) are computed in it. */
  ZoneId zone();

  /** The tag's count, 0 when the contact does not have it. */
  int tagCount(String tag);

  boolean inSegment(String segment);

  /** The event being decided on, if any. */
  Optional<EventFact> event();

  /** The contact's recorded events, the triggering one included, in any order. */
  List<EventFact> history();

  /**
   * What this snapshot computes once for all rules of its phase (DMN tables). A snapshot that
   * keeps nothing returns a fresh memo on every call: values are then computed on each read.
   */
  default PhaseMemo memo() {
    return new PhaseMemo();
  }

  /**
   * Reports a value of the wrong type that was read as empty (docs/language.md ("Rules, kinds and phases")); the
   * evaluation lists each such field once in its warnings. Snapshots that keep no warnings
   * ignore it.
   */
  default void invalid(String field, Object value, io.relais.dsl.ast.ValueType type) {}

  /**
   * {@code compute}'s value, computed once per snapshot for one {@code key}: history
   * aggregates depend on nothing but the snapshot. Snapshots without memory compute it.
   */
  default Object remember(String key, java.util.function.Function<Facts, Object> compute) {
    return compute.apply(this);
  }

  /** One event as conditions see it. */
  interface EventFact {
    String id();

    String type();

    Instant at();

    /** The event's own attributes, by name. */
    java.util.Map<String, Object> attributes();

    /**
     * The read of attribute {@code name}: {@code id}, {@code type}, {@code at} or one of the
     * event's own, bound once when a ruleset compiles; the read gives {@code null} when absent.
     */
    static java.util.function.Function<EventFact, Object> attribute(String name) {
      return switch (name) {
        case "id" -> EventFact::id;
        case "type" -> EventFact::type;
        case "at" -> EventFact::at;
        default -> e -> e.attributes().get(name);
      };
    }
  }
}
