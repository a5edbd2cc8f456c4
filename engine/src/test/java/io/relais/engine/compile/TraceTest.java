package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.source.SourceSpan;
import java.util.Optional;
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

  private static final SourceSpan A = new SourceSpan("t.rules", 1, 1, 1, 5);
  private static final SourceSpan B = new SourceSpan("t.rules", 2, 1, 2, 5);
  private static final SourceSpan OR = new SourceSpan("t.rules", 3, 1, 3, 9);

  @Test
  void anEntrysFalsePartIsWhereItsLastLocatedComparisonIsWritten() {
    Trace trace = Trace.recording();
    int first = trace.start();
    trace.add(TEXT, "a = 1 >= 2", null, null, A);
    trace.add(TEXT, "b = 1 >= 2", null, null, B);
    trace.add("a table's row"); // a step without a place keeps the last one
    int second = trace.start();
    trace.add(TEXT, "a = 1 >= 2", null, null, A);
    trace.add(TEXT, "b = 1 >= 2", null, null, B);
    trace.located(OR); // an `or` whose terms were all false: the whole `or`, no text of its own

    assertThat(trace.written(first, second)).isEqualTo(
        new Trace.Written("a = 1 >= 2; b = 1 >= 2; a table's row", Optional.of(B)));
    assertThat(trace.written(second, trace.end())).isEqualTo(
        new Trace.Written("a = 1 >= 2; b = 1 >= 2", Optional.of(OR)));
    assertThat(trace.lastComparison()).contains(OR);
  }

  @Test
  void anEntryCutAtItsLengthHasNoFalsePart() {
    Trace trace = Trace.recording();
    trace.add(TEXT, "x = \"" + "x".repeat(5_000) + "\"", null, null, A);
    trace.add(TEXT, "b = 1 >= 2", null, null, B);

    assertThat(trace.why()).endsWith("…");
    assertThat(trace.lastComparison()).isEmpty();
  }

  @Test
  void anEntryThatReachedItsStepsHasNoFalsePartEvenWhenItsTextFits() {
    Trace trace = Trace.recording();
    // Steps that write nothing: the text fits, but the steps after the last kept are unknown.
    for (int i = 0; i < Trace.MAX_STEPS + 1; i++) {
      trace.add(TEXT, "", null, null, A);
    }

    assertThat(trace.why()).hasSizeLessThanOrEqualTo(Trace.MAX_LENGTH).doesNotEndWith("…");
    assertThat(trace.lastComparison()).isEmpty();
  }

  @Test
  void noneLocatesNothing() {
    Trace.NONE.add(TEXT, "a", null, null, A);
    Trace.NONE.located(OR);

    assertThat(Trace.NONE.lastComparison()).isEmpty();
  }

  private static final Trace.Step TEXT = (out, a, b, c) -> out.append((String) a);
}
