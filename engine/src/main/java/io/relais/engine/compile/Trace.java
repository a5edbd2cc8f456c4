package io.relais.engine.compile;

import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The values conditions compared, in evaluation order: {@code contact.score = 101 >= 100}.
 * Evaluations that need no explanation pass {@link #NONE}, which records nothing. A recording
 * trace keeps, for each step, how it is written ({@link Step}, made when the condition was
 * compiled) and the values it compared, not its text: matching records what it compares at the
 * cost of a few references, and only an entry that is read is written out. One trace holds the
 * entries of many rules (one evaluation's: {@link #start()} begins an entry, {@link #why(int,
 * int)} writes one). An entry's text holds at most {@link #MAX_LENGTH} characters: the step that
 * crosses it is cut and ends with {@code …}, the steps after it are left out, and past {@link
 * #MAX_STEPS} steps an entry records nothing more (its text is full whatever they say), so a
 * rule comparing a large value many times does not make an answer as large as their product.
 * Each step also keeps where its comparison is written, so that an entry whose condition was
 * false can tell which part was ({@link #written(int, int)}, docs/api.md "The trace").
 */
public final class Trace {

  /** Records nothing (used inside {@code where} clauses and by benchmarks' baselines). */
  public static final Trace NONE = new Trace(false, 0);

  /** The longest "why" a trace entry has, in characters (docs/api.md, "The trace"). */
  public static final int MAX_LENGTH = 4096;

  /**
   * Steps kept per entry: each step after the first adds at least its separator (2 characters),
   * so this many always write more than {@link #MAX_LENGTH}.
   */
  static final int MAX_STEPS = MAX_LENGTH / 2 + 1;

  /**
   * How one kind of step is written from the values it compared (up to three): appended to the
   * entry's text, with no text of its own in between (an answer writes some hundred steps).
   */
  @FunctionalInterface
  public interface Step {
    void write(StringBuilder out, Object a, Object b, Object c);

    /**
     * Appends the same text to an answer's JSON text ({@link TraceText}): by default written as
     * above, then escaped; the conditions' steps ({@link StepText}) write their constant parts
     * already escaped.
     */
    default void write(TraceText out, Object a, Object b, Object c) {
      StringBuilder text = new StringBuilder();
      write(text, a, b, c);
      out.text(text.toString());
    }
  }

  /** A step given as its text. */
  private static final Step TEXT = (out, a, b, c) -> out.append((String) a);

  private static final String SEPARATOR = "; ";
  private static final TraceText.Constant SEPARATOR_TEXT = TraceText.Constant.of(SEPARATOR);
  private static final String CUT = "…";
  /** Slots per step in {@link #log}: the step, then its three values. */
  private static final int SLOTS = 4;

  /** The result of writing an entry out: its text, and where its false part is written. */
  public record Written(String why, Optional<SourceSpan> falsePart) {}

  private static final Written EMPTY = new Written("", Optional.empty());

  private final boolean recording;
  private Object[] log;
  /**
   * Where each step's comparison is written (null when unknown), one per step of {@link #log}
   * (step {@code slot / SLOTS}): a reference per step, no text, while matching.
   */
  private SourceSpan[] places;
  /** Slots of {@link #log} in use. */
  private int size;
  /** Where the current entry begins in {@link #log}. */
  private int entry;

  private Trace(boolean recording, int steps) {
    this.recording = recording;
    this.log = recording ? new Object[steps * SLOTS] : null;
    this.places = recording ? new SourceSpan[steps] : null;
  }

  public static Trace recording() {
    return recording(16);
  }

  /**
   * A trace with room for {@code steps} steps before it grows: an evaluation sizes it from the
   * evaluations before it, so that it is not copied while matching (at least one step).
   */
  public static Trace recording(int steps) {
    return new Trace(true, Math.max(1, steps));
  }

  /** How many steps were recorded so far. */
  public int stepCount() {
    return size / SLOTS;
  }

  /** Begins an entry: the steps recorded from now on are its own. Returns where it begins. */
  public int start() {
    entry = size;
    return size;
  }

  /** Where the steps recorded so far end: an entry is the steps between its start and this. */
  public int end() {
    return size;
  }

  /** Whether a step added now would be kept. */
  boolean isRecording() {
    return recording && size - entry < MAX_STEPS * SLOTS;
  }

  /** Records a step: {@code step} writes it from {@code a}, {@code b} and {@code c} if read. */
  void add(Step step, Object a, Object b, Object c) {
    add(step, a, b, c, null);
  }

  /**
   * Records a step made by the comparison written at {@code at} (null when unknown): {@code
   * step} writes it from {@code a}, {@code b} and {@code c} if read.
   */
  void add(Step step, Object a, Object b, Object c, SourceSpan at) {
    if (!isRecording()) {
      return;
    }
    if (size == log.length) {
      log = Arrays.copyOf(log, size * 2);
      places = Arrays.copyOf(places, places.length * 2);
    }
    log[size] = step;
    log[size + 1] = a;
    log[size + 2] = b;
    log[size + 3] = c;
    places[size / SLOTS] = at;
    size += SLOTS;
  }

  /**
   * The condition written at {@code at} decided the outcome (an {@code or} all of whose terms
   * were false, a {@code not}): it is the part to show rather than the comparison its last step
   * made, so it takes that step's place. Writes no text: the step's text is its comparison's.
   * Its operand recorded that step in this entry (every comparison records one); past {@link
   * #MAX_STEPS} the entry has no false part, whatever this writes.
   */
  void located(SourceSpan at) {
    if (recording && at != null && size > entry) {
      places[size / SLOTS - 1] = at;
    }
  }

  void add(String step) {
    add(TEXT, step, null, null);
  }

  /** Adds a step from outside this package (a DMN table's matched rows, docs/language.md ("Decision tables")). */
  public void note(Step step, Object a, Object b) {
    add(step, a, b, null);
  }

  /** The steps of the whole trace, written out, uncut. */
  public List<String> steps() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < size; i += SLOTS) {
      out.add(text(i));
    }
    return out;
  }

  private String text(int slot) {
    StringBuilder out = new StringBuilder();
    write(out, slot);
    return out.toString();
  }

  private void write(StringBuilder out, int slot) {
    ((Step) log[slot]).write(out, log[slot + 1], log[slot + 2], log[slot + 3]);
  }

  /** The steps of the whole trace joined with {@code "; "}, as a decision's trace shows them. */
  public String why() {
    return why(0, size);
  }

  /**
   * The entry between {@code from} and {@code to} ({@link #start()}, {@link #end()}) written out,
   * its steps joined with {@code "; "} and cut at {@link #MAX_LENGTH}.
   */
  public String why(int from, int to) {
    return written(from, to).why();
  }

  /**
   * Where the last comparison the whole trace recorded is written: for a condition that was
   * false, the part that decided it (in an {@code and}, the term that was false; an {@code or}
   * all of whose terms were false; a {@code not}) (docs/api.md, "The trace"). Empty when the
   * text is cut at {@link #MAX_LENGTH}: the comparisons after the cut are not known.
   */
  public Optional<SourceSpan> lastComparison() {
    return written(0, size).falsePart();
  }

  /**
   * The entry between {@code from} and {@code to} written out ({@link #why(int, int)}), with
   * where its last located comparison is written (its false part when its condition was false;
   * see {@link #lastComparison()}): empty when its text is cut or it reached {@link
   * #MAX_STEPS}, or when none is located.
   */
  public Written written(int from, int to) {
    if (!recording || from >= to) {
      return EMPTY;
    }
    StringBuilder out = new StringBuilder(256);
    for (int i = from; i < to; i += SLOTS) {
      // Each step is appended where it goes; one that takes the text past MAX_LENGTH is taken
      // back out and cut.
      int before = out.length();
      String separator = i == from ? "" : SEPARATOR;
      out.append(separator);
      int start = out.length();
      write(out, i);
      if (out.length() > MAX_LENGTH) {
        String step = out.substring(start);
        out.setLength(before);
        int keep = MAX_LENGTH - out.length() - separator.length() - CUT.length();
        if (keep >= 0) { // else not even room for the mark: the why ends with the last whole step
          out.append(separator).append(step, 0, Values.cutIndex(step, keep)).append(CUT);
        }
        // Cut: the steps after it (and past MAX_STEPS, those not kept) are not shown, so the
        // comparison that decided is not known.
        return new Written(out.toString(), Optional.empty());
      }
    }
    // An entry that reached MAX_STEPS recorded nothing after them, even when its text fits.
    boolean full = to - from >= MAX_STEPS * SLOTS;
    return new Written(out.toString(), full ? Optional.empty() : lastPlace(from, to));
  }

  /**
   * Writes the text of the entry between {@code from} and {@code to} ({@link #why(int, int)})
   * into {@code out} (emptied first) as the inside of a JSON string: the text an answer writes,
   * without making it a string. False when it cannot (the text is cut at {@link #MAX_LENGTH}, or
   * has a character {@link TraceText} does not write): the caller writes {@link #why(int, int)}
   * instead. An entry whose condition was false has the same text; only {@link #written(int,
   * int)} tells its false part.
   */
  public boolean write(int from, int to, TraceText out) {
    out.reset();
    if (!recording || from >= to) {
      return true;
    }
    for (int i = from; i < to; i += SLOTS) {
      if (i != from) {
        out.append(SEPARATOR_TEXT);
      }
      ((Step) log[i]).write(out, log[i + 1], log[i + 2], log[i + 3]);
      if (out.chars() > MAX_LENGTH || !out.plain()) {
        return false;
      }
    }
    return true;
  }

  /** The place of the last step between {@code from} and {@code to} that has one. */
  private Optional<SourceSpan> lastPlace(int from, int to) {
    for (int i = to - SLOTS; i >= from; i -= SLOTS) {
      if (places[i / SLOTS] != null) {
        return Optional.of(places[i / SLOTS]);
      }
    }
    return Optional.empty();
  }
}
