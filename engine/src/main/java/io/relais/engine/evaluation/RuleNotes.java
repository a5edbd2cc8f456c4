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
  private int[] spans = new int[3 * 16];
  private int count;
  /** Rule index to its place in {@link #spans}: made on the first read. */
  private Map<Integer, Integer> places;
  private Map<Integer, String> written;

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

  /** Where rule {@code index}'s steps are ({@code [from, to]}), or null if the network did not run it. */
  int[] span(int index) {
    if (places == null) {
      Map<Integer, Integer> made = new HashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        made.put(spans[3 * i], i);
      }
      places = made;
    }
    Integer place = places.get(index);
    return place == null ? null : new int[] {spans[3 * place + 1], spans[3 * place + 2]};
  }
}
