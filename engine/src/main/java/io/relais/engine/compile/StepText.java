package io.relais.engine.compile;

import java.math.BigDecimal;

/**
 * How a condition's trace step is written: constant parts around up to three values, {@code
 * part0 value0 part1 value1 part2 ...}, each value shown as {@link Value} says. Made when the
 * condition compiles, with its constant parts also escaped and encoded for an answer's JSON
 * ({@link TraceText.Constant}): writing a step into an answer escapes only the values compared.
 * Both ways write the same text.
 */
final class StepText implements Trace.Step {

  /** How a value compared reads in the trace. */
  enum Value {
    /** As {@link Values#show(Object)} shows it: text quoted, empties as {@code empty}. */
    SHOWN,
    /** As {@link String#valueOf(Object)} writes it (a count, a true-or-false). */
    AS_IS,
    /** An event's type, or {@code no event}. */
    EVENT
  }

  private static final TraceText.Constant QUOTE = TraceText.Constant.of("\"");
  private static final TraceText.Constant EMPTY = TraceText.Constant.of("empty");
  private static final TraceText.Constant NO_EVENT = TraceText.Constant.of("no event");

  private final String[] parts;
  private final TraceText.Constant[] encoded;
  private final Value[] values;

  private StepText(String[] parts, Value[] values) {
    this.parts = parts;
    this.values = values;
    this.encoded = new TraceText.Constant[parts.length];
    for (int i = 0; i < parts.length; i++) {
      encoded[i] = TraceText.Constant.of(parts[i]);
    }
  }

  /** {@code before} then a value. */
  static StepText of(String before, Value value) {
    return new StepText(new String[] {before, ""}, new Value[] {value});
  }

  /** {@code before}, a value, then {@code after}. */
  static StepText of(String before, Value value, String after) {
    return new StepText(new String[] {before, after}, new Value[] {value});
  }

  /** {@code before}, a value, {@code between}, a second value. */
  static StepText of(String before, Value first, String between, Value second) {
    return new StepText(new String[] {before, between, ""}, new Value[] {first, second});
  }

  /** {@code before}, a value, {@code between}, a second, {@code and}, a third. */
  static StepText of(String before, Value first, String between, Value second, String and, Value third) {
    return new StepText(new String[] {before, between, and, ""}, new Value[] {first, second, third});
  }

  @Override
  public void write(StringBuilder out, Object a, Object b, Object c) {
    out.append(parts[0]);
    for (int i = 0; i < values.length; i++) {
      show(out, values[i], i == 0 ? a : i == 1 ? b : c);
      out.append(parts[i + 1]);
    }
  }

  @Override
  public void write(TraceText out, Object a, Object b, Object c) {
    out.append(encoded[0]);
    for (int i = 0; i < values.length; i++) {
      show(out, values[i], i == 0 ? a : i == 1 ? b : c);
      if (!parts[i + 1].isEmpty()) {
        out.append(encoded[i + 1]);
      }
    }
  }

  private static void show(StringBuilder out, Value how, Object value) {
    switch (how) {
      case SHOWN -> Values.show(out, value);
      case AS_IS -> out.append(value);
      case EVENT -> out.append(value == null ? "no event" : value);
      default -> throw new IllegalStateException(how.name());
    }
  }

  // The same text as show(StringBuilder, ...), escaped for JSON.
  private static void show(TraceText out, Value how, Object value) {
    if (how == Value.SHOWN) {
      if (Values.isEmpty(value)) {
        out.append(EMPTY);
      } else if (value instanceof String text) {
        out.append(QUOTE).text(text).append(QUOTE);
      } else if (value instanceof BigDecimal number) {
        if (number.scale() == 0 && number.precision() < 19) {
          out.number(number.longValue()); // a whole number: its digits (no zeros to strip)
        } else {
          out.ascii(Values.plain(number));
        }
      } else {
        asIs(out, value);
      }
    } else if (how == Value.EVENT && value == null) {
      out.append(NO_EVENT);
    } else {
      asIs(out, value);
    }
  }

  // String.valueOf(value), escaped.
  private static void asIs(TraceText out, Object value) {
    if (value instanceof Integer || value instanceof Long) {
      out.number(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      out.ascii(b ? "true" : "false");
    } else {
      out.text(String.valueOf(value));
    }
  }
}
