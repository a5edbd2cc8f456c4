package io.relais.engine.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * The values a condition compared, in evaluation order: {@code contact.score = 101 >= 100}.
 * Evaluations that need no explanation pass {@link #NONE}, which records nothing.
 */
public final class Trace {

  /** Records nothing (used inside {@code where} clauses and by benchmarks' baselines). */
  public static final Trace NONE = new Trace(false);

  private final boolean recording;
  private final List<String> steps;

  private Trace(boolean recording) {
    this.recording = recording;
    this.steps = recording ? new ArrayList<>() : List.of();
  }

  public static Trace recording() {
    return new Trace(true);
  }

  boolean isRecording() {
    return recording;
  }

  void add(String step) {
    if (recording) {
      steps.add(step);
    }
  }

  /** Adds a step from outside this package (a DMN table's matched rows, docs/language.md ("Decision tables")). */
  public void note(String step) {
    add(step);
  }

  public List<String> steps() {
    return List.copyOf(steps);
  }

  /** The steps joined with {@code "; "}, as a decision's trace shows them. */
  public String why() {
    return String.join("; ", steps);
  }
}
