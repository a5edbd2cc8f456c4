package io.relais.engine.compile;

import io.relais.dsl.ast.Expr.CompareOp;
import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/** The language's value semantics: empties, comparisons, text rules. */
public final class Values {

  private Values() {}

  /** Numbers of any Java type as BigDecimal; everything else as it is. */
  public static Object normalize(Object value) {
    if (value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? new BigDecimal(number.toString()) : null;
    }
    return value;
  }

  /** Empty: nothing, or the empty text. */
  public static boolean isEmpty(Object value) {
    return value == null || (value instanceof String text && text.isEmpty());
  }

  /**
   * {@code left op right}. A comparison with an empty (missing) value is false, whatever the
   * operator; the empty text {@code ""} is a value, so {@code contact.tier = ""} holds for a
   * contact without a tier (docs/language.md: the tier is {@code ""} if none);
   * an ordered comparison with {@code DISQUALIFIED} is false; a date against a date-time
   * stands for its first instant in {@code zone}.
   */
  public static boolean compare(Object left, CompareOp op, Object right, ZoneId zone) {
    if (left == null || right == null) {
      return false;
    }
    CompareOp meaning = op.meaning();
    if (left instanceof LocalDate date && right instanceof Instant) {
      left = date.atStartOfDay(zone).toInstant();
    } else if (left instanceof Instant && right instanceof LocalDate date) {
      right = date.atStartOfDay(zone).toInstant();
    }
    if (meaning == CompareOp.EQ) {
      return equal(left, right);
    }
    if (meaning == CompareOp.NE) {
      return !equal(left, right);
    }
    int order;
    if (left instanceof Stage a && right instanceof Stage b) {
      if (!a.isOrdered() || !b.isOrdered()) {
        return false;
      }
      order = a.ordinal() - b.ordinal(); // their declared order, without a call through Comparable
    } else {
      order = order(left, right);
    }
    return switch (meaning) {
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      case GE -> order >= 0;
      default -> throw new IllegalStateException("not an ordered operator: " + op);
    };
  }

  private static boolean equal(Object left, Object right) {
    if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return left.equals(right);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int order(Object left, Object right) {
    // Numbers first: nearly every ordered comparison, and a test against a class, not an
    // interface, is the cheap one.
    if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
      return a.compareTo(b);
    }
    if (left instanceof Comparable a && left.getClass() == right.getClass()) {
      return a.compareTo(right);
    }
    // The checker makes sure both sides have one ordered type; reaching here is our bug.
    throw new IllegalStateException("cannot order " + left + " and " + right);
  }

  /** Text containment, ignoring case. */
  public static boolean contains(Object text, Object needle) {
    return text instanceof String t
        && needle instanceof String n
        && t.toLowerCase(Locale.ROOT).contains(n.toLowerCase(Locale.ROOT));
  }

  /** How a value reads in a trace: text quoted, empties as {@code empty}. */
  public static String show(Object value) {
    StringBuilder out = new StringBuilder();
    show(out, value);
    return out.toString();
  }

  /** Appends {@link #show(Object)} of {@code value} to {@code out}. */
  public static StringBuilder show(StringBuilder out, Object value) {
    if (isEmpty(value)) {
      return out.append("empty");
    }
    if (value instanceof String text) {
      return out.append('"').append(text).append('"');
    }
    if (value instanceof BigDecimal number) {
      return out.append(plain(number));
    }
    return out.append(value);
  }

  /** How a number reads in a trace: {@code 100}, {@code 0.5}, without an exponent or trailing zeros. */
  static String plain(BigDecimal number) {
    return number.stripTrailingZeros().toPlainString();
  }

  /**
   * Where to cut {@code text} to keep at most {@code room} characters: {@code room}, or one less
   * when that would split a surrogate pair (half a character is not text).
   */
  public static int cutIndex(String text, int room) {
    return room > 0 && room < text.length() && Character.isHighSurrogate(text.charAt(room - 1))
        && Character.isLowSurrogate(text.charAt(room)) ? room - 1 : room;
  }

  /** Arithmetic is in decimal with 16 significant digits, as docs/engine.md ("Choices") says. */
  public static final java.math.MathContext MATH = java.math.MathContext.DECIMAL64;

  /**
   * {@code x op y} as rules compute it; {@code null} (empty) for a division by zero. The audience
   * push-down inverts it with this very function, so both agree to the last digit.
   */
  public static BigDecimal arithmetic(io.relais.dsl.ast.Expr.ArithmeticOp op, BigDecimal x, BigDecimal y) {
    return switch (op) {
      case ADD -> x.add(y, MATH);
      case SUBTRACT -> x.subtract(y, MATH);
      case MULTIPLY -> x.multiply(y, MATH);
      // Division by zero is empty, which makes any comparison with it false.
      case DIVIDE -> y.signum() == 0 ? null : x.divide(y, MATH);
    };
  }
}
