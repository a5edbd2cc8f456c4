package io.relais.engine.evaluation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one evaluation's network noted about the rules it ran: where each one's steps are in the
 * evaluation's trace, and the "why" written at once of a rule that was not active or whose
 * condition failed. Sparse: it costs the rules the network ran, not the rules that exist (a
 * ruleset of 10,000 rules matches a few of them). One per evaluation; one thread writes it,
 * then it is only read.
 */
final class RuleNotes {

  /** Three slots per rule run: its index, where its steps begin and where they end. */
  private int[] spans;
  private int count;
  /**
   * Rule index (high half) and its place in {@link #spans} (low half), sorted: made on the first
   * read, searched by index (no boxed keys; a trace read looks up some tens of rules).
   */
  private long[] places;
  private Map<Integer, String> written;

  RuleNotes() {
    this(16);
  }

  /** Room for {@code rules} rules run before it grows (sized from the evaluations before). */
  RuleNotes(int rules) {
    spans = new int[3 * Math.max(1, rules)];
  }

  /** How many rules were noted as run. */
  int count() {
    return count;
  }

  void span(int index, int from, int to) {
    if (3 * count == spans.length) {
      spans = Arrays.copyOf(spans, spans.length * 2);
    }
    spans[3 * count] = index;
    spans[3 * count + 1] = from;
    spans[3 * count + 2] = to;
    count++;
  }

  void write(int index, String why) {
    if (written == null) {
      written = new HashMap<>();
    }
    written.put(index, why);
  }

  /** The "why" written at once for rule {@code index}, else null. */
  String written(int index) {
    return written == null ? null : written.get(index);
  }

  /** Where rule {@code index}'s steps are in {@link #spans}, or -1 if the network did not run it. */
  int place(int index) {
    long[] sorted = places;
    if (sorted == null) {
      sorted = new long[count];
      for (int i = 0; i < count; i++) {
        sorted[i] = ((long) spans[3 * i] << 32) | i;
      }
      Arrays.sort(sorted);
      places = sorted;
    }
    int low = 0;
    int high = sorted.length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int found = (int) (sorted[middle] >>> 32);
      if (found < index) {
        low = middle + 1;
      } else if (found > index) {
        high = middle - 1;
      } else {
        // A rule noted twice (run again by a later cycle): its last span, as it was last written.
        while (middle + 1 < sorted.length && (int) (sorted[middle + 1] >>> 32) == index) {
          middle++;
        }
        return (int) sorted[middle];
      }
    }
    return -1;
  }

  /** Where the steps of the rule at {@code place} ({@link #place}) begin in the trace. */
  int from(int place) {
    return spans[3 * place + 1];
  }

  /** Where the steps of the rule at {@code place} ({@link #place}) end in the trace. */
  int to(int place) {
    return spans[3 * place + 2];
  }
}
