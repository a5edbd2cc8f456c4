package io.relais.engine.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The language's {@code matches}: {@code *} any run without {@code /}, {@code **} any run,
 * {@code ?} any one character ({@code /} included: docs/language.md says "one char"), everything else
 * literal; the whole text must match. No regular expression is involved: the glob is a
 * small automaton simulated on bit sets, so matching takes time proportional to the text's
 * length times the glob's length divided by 64, whatever the glob (a backtracking matcher
 * takes exponential time on {@code **a**a**a...b}).
 */
public final class Glob {

  private static final int SLASH = '/';
  private static final int ASCII = 128;

  private final String glob;
  /** Tokens after compiling; state k means "tokens 0..k-1 matched". Accepting state: size. */
  private final int states;
  private final int words;
  /** Per literal code point, the bits of the tokens that match it. */
  private final Map<Integer, long[]> literal;
  /**
   * The same for code points below 128, by index: a text is mostly ASCII, and a map lookup
   * boxes the code point on every character.
   */
  private final long[][] ascii = new long[ASCII][];
  /** Bits of the {@code ?} tokens. */
  private final long[] anyOne;
  /** Bits of the {@code *} tokens (loop on anything but {@code /}). */
  private final long[] star;
  /** Bits of the {@code **} tokens (loop on anything). */
  private final long[] doubleStar;
  /** Bits of both kinds of star: such a token may also match nothing. */
  private final long[] skippable;

  private Glob(String glob, List<Token> tokens) {
    this.glob = glob;
    this.states = tokens.size() + 1;
    this.words = (states + 63) / 64;
    this.literal = new HashMap<>();
    this.anyOne = new long[words];
    this.star = new long[words];
    this.doubleStar = new long[words];
    this.skippable = new long[words];
    for (int k = 0; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      switch (t.kind) {
        case LITERAL -> {
          long[] bits = literal.computeIfAbsent(t.codePoint, c -> new long[words]);
          set(bits, k);
          if (t.codePoint < ASCII) {
            ascii[t.codePoint] = bits;
          }
        }
        case ANY_ONE -> set(anyOne, k);
        case STAR -> {
          set(star, k);
          set(skippable, k);
        }
        case DOUBLE_STAR -> {
          set(doubleStar, k);
          set(skippable, k);
        }
        default -> throw new IllegalStateException("no token " + t.kind);
      }
    }
  }

  private enum Kind { LITERAL, ANY_ONE, STAR, DOUBLE_STAR }

  private record Token(Kind kind, int codePoint) {}

  /** Compiles a glob; every glob is valid (there is no syntax to get wrong). */
  public static Glob compile(String glob) {
    List<Token> tokens = new ArrayList<>();
    int[] cps = glob.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      Token t;
      if (c == '?') {
        t = new Token(Kind.ANY_ONE, 0);
      } else if (c == '*' && i + 1 < cps.length && cps[i + 1] == '*') {
        t = new Token(Kind.DOUBLE_STAR, 0);
        i++;
      } else if (c == '*') {
        t = new Token(Kind.STAR, 0);
      } else {
        t = new Token(Kind.LITERAL, c);
      }
      // A star next to a star adds nothing but a run they both match: `***`, `* **` and
      // `** *` all mean `**`. Merging them keeps stars apart, so one step of "a star may
      // match nothing" is enough after each character.
      if (t.kind == Kind.STAR || t.kind == Kind.DOUBLE_STAR) {
        Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        if (last != null && (last.kind == Kind.STAR || last.kind == Kind.DOUBLE_STAR)) {
          tokens.set(tokens.size() - 1, new Token(
              last.kind == Kind.STAR && t.kind == Kind.STAR ? Kind.STAR : Kind.DOUBLE_STAR, 0));
          continue;
        }
      }
      tokens.add(t);
    }
    return new Glob(glob, tokens);
  }

  /** Whether the whole {@code text} matches; {@code null} never does. */
  public boolean matches(String text) {
    if (text == null) {
      return false;
    }
    if (words == 1) {
      return matchesShort(text);
    }
    long[] active = new long[words];
    long[] next = new long[words];
    set(active, 0);
    skipStars(active);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      long[] lit = c < ASCII ? ascii[c] : literal.get(c);
      long carry = 0;
      boolean any = false;
      for (int w = 0; w < words; w++) {
        long a = active[w];
        // Tokens that consume c and move on: a literal c or `?` (shifted one state up).
        long advance = a & (anyOne[w] | (lit == null ? 0 : lit[w]));
        // Stars that consume c and stay: `**` always, `*` unless c is a slash.
        long stay = a & (c == SLASH ? doubleStar[w] : (star[w] | doubleStar[w]));
        long n = (advance << 1) | carry | stay;
        carry = advance >>> 63;
        next[w] = n;
        any |= n != 0;
      }
      if (!any) {
        return false;
      }
      skipStars(next);
      long[] swap = active;
      active = next;
      next = swap;
    }
    return get(active, states - 1);
  }

  /**
   * {@link #matches} for a glob of fewer than 64 tokens (nearly all of them): the states fit
   * in one {@code long}, so nothing is allocated per match. Same steps as the general loop.
   */
  private boolean matchesShort(String text) {
    long anyOneBits = anyOne[0];
    long starBits = star[0] | doubleStar[0];
    long doubleStarBits = doubleStar[0];
    long skippableBits = skippable[0];
    long active = skip(1L, skippableBits);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      long[] lit = c < ASCII ? ascii[c] : literal.get(c);
      long advance = active & (anyOneBits | (lit == null ? 0 : lit[0]));
      long stay = active & (c == SLASH ? doubleStarBits : starBits);
      active = (advance << 1) | stay;
      if (active == 0) {
        return false;
      }
      active = skip(active, skippableBits);
    }
    return (active & (1L << (states - 1))) != 0;
  }

  // One word of skipStars: states after a star are reachable from the state before it.
  private static long skip(long active, long skippableBits) {
    return active | ((active & skippableBits) << 1);
  }

  // A star may match nothing: from the state before it, the state after it is reachable too.
  private void skipStars(long[] active) {
    long carry = 0;
    for (int w = 0; w < words; w++) {
      long skip = active[w] & skippable[w];
      long old = active[w];
      active[w] = old | (skip << 1) | carry;
      carry = skip >>> 63;
    }
  }

  private static void set(long[] bits, int k) {
    bits[k >>> 6] |= 1L << (k & 63);
  }

  private static boolean get(long[] bits, int k) {
    return (bits[k >>> 6] & (1L << (k & 63))) != 0;
  }

  @Override
  public String toString() {
    return glob;
  }
}
