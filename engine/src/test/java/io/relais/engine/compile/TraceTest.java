package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A trace holds at most {@link Trace#MAX_LENGTH} characters, cut with a mark, pairs whole. */
class TraceTest {

  @Test
  void stepsAreJoinedWhileTheyFit() {
    Trace trace = Trace.recording();
    trace.add("a = 1 >= 1");
    trace.add("b = 2 >= 2");

    assertThat(trace.why()).isEqualTo("a = 1 >= 1; b = 2 >= 2");
    assertThat(trace.isRecording()).isTrue();
  }

  @Test
  void theStepThatCrossesTheLimitIsCutAndNothingMoreIsRecorded() {
    Trace trace = Trace.recording();
    String step = "event.url = \"" + "u".repeat(1_000) + "\" contains \"u\"";

    for (int i = 0; i < 1_000; i++) {
      trace.add(step);
    }

    assertThat(trace.why()).hasSize(Trace.MAX_LENGTH).endsWith("u…").startsWith(step + "; " + step);
  }

  @Test
  void anEntryKeepsNoMoreStepsThanItsTextCanShow() {
    Trace trace = Trace.recording();
    trace.start();

    for (int i = 0; i < 3 * Trace.MAX_STEPS; i++) {
      trace.add("b");
    }

    assertThat(trace.end()).as("slots kept").isEqualTo(4 * Trace.MAX_STEPS);
    assertThat(trace.isRecording()).isFalse();
    assertThat(trace.why()).hasSize(Trace.MAX_LENGTH).startsWith("b; b; ");
    int next = trace.start();
    trace.add("c");
    assertThat(trace.isRecording()).as("a new entry records again").isTrue();
    assertThat(trace.why(next, trace.end())).isEqualTo("c");
  }

  @Test
  void oneHugeStepIsCutToTheLimit() {
    Trace trace = Trace.recording();

    trace.add("x = \"" + "x".repeat(90_000) + "\"");

    assertThat(trace.why()).hasSize(Trace.MAX_LENGTH).endsWith("x…");
  }

  @Test
  void theCutNeverSplitsASurrogatePair() {
    Trace trace = Trace.recording();
    // The cut falls between the two halves of the face: the face goes whole.
    trace.add("a".repeat(Trace.MAX_LENGTH - 2) + "\uD83D\uDE00" + "tail");

    assertThat(trace.why()).isEqualTo("a".repeat(Trace.MAX_LENGTH - 2) + "…");
  }

  @Test
  void aStepWithoutRoomForTheMarkEndsTheTraceAtTheLastWholeStep() {
    Trace trace = Trace.recording();
    trace.add("a".repeat(Trace.MAX_LENGTH - 2));
    trace.add("b");

    assertThat(trace.why()).isEqualTo("a".repeat(Trace.MAX_LENGTH - 2));
  }

  @Test
  void noneRecordsNothing() {
    Trace.NONE.add("x");

    assertThat(Trace.NONE.why()).isEmpty();
    assertThat(Trace.NONE.isRecording()).isFalse();
  }
}
