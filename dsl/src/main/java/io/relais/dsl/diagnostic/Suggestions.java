package io.relais.dsl.diagnostic;

import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the closest candidate by edit distance, only when it still looks like a typo. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate {@code word} most likely misspells: one equal ignoring case first (stage names
   * are upper case, authors type {@code mql}), else the nearest within the typo tolerance; ties
   * go to the first candidate, so callers pass candidates in a stable order.
   */
  public static Optional<String> closest(String word, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = word.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      if (candidate.equals(word)) {
        continue;
      }
      if (candidate.equalsIgnoreCase(word)) {
        return Optional.of(candidate);
      }
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= tolerance(word) ? Optional.of(best) : Optional.empty();
  }

  /** How many edits still look like a typo rather than another word. */
  public static int tolerance(String word) {
    int n = word.length();
    return n <= 2 ? 0 : n <= 4 ? 1 : n <= 9 ? 2 : 3;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
