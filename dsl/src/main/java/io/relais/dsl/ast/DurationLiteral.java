package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.time.Duration;
import java.util.Locale;

/** {@code 30 minutes}, {@code 7 days}, {@code 2 weeks}: an amount of a calendar-free unit. */
public record DurationLiteral(long amount, Unit unit, SourceSpan span) implements Node {

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

    /** Plural keyword, as the formatter writes it. */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Duration toDuration() {
    return unit.length().multipliedBy(amount);
  }
}
