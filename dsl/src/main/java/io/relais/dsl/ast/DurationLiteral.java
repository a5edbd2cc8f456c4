package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.time.Duration;
import java.util.Locale;

/** {@code 30 minutes}, {@code 7 days}, {@code 2 weeks}: an amount of a calendar-free unit. */
public record DurationLiteral(long amount, Unit unit, SourceSpan span) implements Node {

  /**
   * The longest duration the language accepts (the parser refuses longer ones with
   * {@code duration-too-long}): 100 years of 365.25 days, so that {@code now} plus or minus
   * any duration stays a representable instant and a four-digit year.
   */
  public static final Duration MAX = Duration.ofDays(36_525);

  /** Units as authors write them; singular forms are accepted by the parser. */
  public enum Unit {
    MINUTES(Duration.ofMinutes(1)),
    HOURS(Duration.ofHours(1)),
    DAYS(Duration.ofDays(1)),
    WEEKS(Duration.ofDays(7));

    private final Duration length;

    Unit(Duration length) {
      this.length = length;
    }

    public Duration length() {
      return length;
    }

    /**
     * The largest amount of this unit within {@link #MAX}. Whole seconds, not
     * {@code Duration.dividedBy(Duration)}: that one divides BigDecimals, and the parser and
     * the checker ask for every duration of a ruleset each time (each keystroke in an editor).
     */
    public long most() {
      return MAX.toSeconds() / length.toSeconds();
    }

    /** Plural keyword, as the formatter writes it. */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The duration, at most {@link #MAX} (a tree built without the parser cannot overflow). */
  public Duration toDuration() {
    return amount > unit.most() ? MAX : unit.length().multipliedBy(amount);
  }
}
