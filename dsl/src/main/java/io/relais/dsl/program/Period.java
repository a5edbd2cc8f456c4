package io.relais.dsl.program;

import io.relais.dsl.ast.DurationLiteral;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A checked duration ({@code within 30 days}, {@code after 3 days}, {@code expiring in 1 year}):
 * between zero and {@link DurationLiteral#MAX}, and moving an instant by it saturates at the
 * ends of time instead of throwing, so a window cannot overflow whatever "now" is.
 */
public record Period(Duration length) {

  public Period {
    Objects.requireNonNull(length, "length");
    if (length.isNegative() || length.compareTo(DurationLiteral.MAX) > 0) {
      throw new IllegalArgumentException("a period is 0 to " + DurationLiteral.MAX + ": " + length);
    }
  }

  /** The literal's duration, held to 0 and {@link DurationLiteral#MAX}. */
  public static Period of(DurationLiteral literal) {
    Duration d = literal.toDuration();
    return new Period(d.isNegative() ? Duration.ZERO : d);
  }

  /** {@code now} minus this period, or {@link Instant#MIN} when that is before time began. */
  public Instant before(Instant now) {
    try {
      return now.minus(length);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MIN;
    }
  }

  /** {@code now} plus this period, or {@link Instant#MAX} when that is after time ends. */
  public Instant after(Instant now) {
    try {
      return now.plus(length);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }
}
