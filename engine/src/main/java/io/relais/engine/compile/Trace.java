package io.relais.engine.compile;

import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The values a condition compared, in evaluation order: {@code contact.score = 101 >= 100}.
 * Evaluations that need no explanation pass {@link #NONE}, which records nothing. A trace
 * holds at most {@link #MAX_LENGTH} characters: the step that crosses it is cut and ends with
 * {@code …}, and nothing more is recorded (nor its text built), so a rule comparing a large
 * value many times does not make an answer as large as their product.
 */
public final class Trace {

  /** Records nothing (used inside {@code where} clauses and by benchmarks' baselines). */
  public static final Trace NONE = new Trace(false);

  /** The longest "why" a trace entry has, in characters (docs/api.md, "The trace"). */
  public static final int MAX_LENGTH = 4096;

  private static final String SEPARATOR = "; ";
  private static final String CUT = "…";

  private final boolean recording;
  private final List<String> steps;
  /** The length of {@link #why()} so far. */
  private int length;
  private boolean full;
  /** Where the last step's comparison is written: the false part of a condition that failed. */
  private SourceSpan lastAt;

  private Trace(boolean recording) {
    this.recording = recording;
    this.steps = recording ? new ArrayList<>() : List.of();
  }

  public static Trace recording() {
    return new Trace(true);
  }

  /** Whether a step added now would be kept: conditions build a step's text only then. */
  boolean isRecording() {
    return recording && !full;
  }

  /** Adds a step made by the comparison written at {@code at} (null when unknown). */
  void add(String step, SourceSpan at) {
    located(at);
    add(step);
  }

  /**
   * The condition written at {@code at} decided the outcome (an {@code or} all of whose terms
   * were false, a {@code not}): it is the part to show rather than its last comparison.
   */
  void located(SourceSpan at) {
    if (recording && !full && at != null) {
      lastAt = at;
    }
  }

  void add(String step) {
    if (!isRecording()) {
      return;
    }
    int separator = steps.isEmpty() ? 0 : SEPARATOR.length();
    if (separator + step.length() > MAX_LENGTH - length) {
      full = true;
      int keep = MAX_LENGTH - length - separator - CUT.length();
      if (keep < 0) {
        return; // not even room for the mark: the why ends with the last whole step
      }
      step = step.substring(0, Values.cutIndex(step, keep)) + CUT;
    }
    length += separator + step.length();
    steps.add(step);
  }

  /** Adds a step from outside this package (a DMN table's matched rows, docs/language.md ("Decision tables")). */
  public void note(String step) {
    add(step);
  }

  public List<String> steps() {
    return List.copyOf(steps);
  }

  /**
   * Where the last comparison evaluated is written. For a condition that was false it is the
   * part that decided it (in an {@code and}, the term that was false; in an {@code or}, its last
   * term) (docs/api.md, "The trace"). Empty past {@link #MAX_LENGTH}.
   */
  public Optional<SourceSpan> lastComparison() {
    // Once full, later comparisons are not recorded: the last one is not known.
    return full ? Optional.empty() : Optional.ofNullable(lastAt);
  }

  /** The steps joined with {@code "; "}, as a decision's trace shows them. */
  public String why() {
    return String.join(SEPARATOR, steps);
  }
}
