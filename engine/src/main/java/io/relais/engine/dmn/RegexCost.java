package io.relais.engine.dmn;

/**
 * What running a regular expression of a DMN file can cost, read from the pattern's text
 * (docs/language.md, "What a DMN file may compute"). FEEL's {@code matches} and {@code replace}
 * run XPath patterns on Saxon's backtracking engine; {@code split} runs a Java pattern on the
 * JDK's. Both can take time exponential in the text's length on patterns such as
 * {@code (a+)+$}, so a pattern is accepted only when its worst case can be bounded:
 * <ul>
 *   <li>no back-reference ({@code \1}): matching with them is NP-hard;
 *   <li>no repeated group that itself holds a quantifier or an alternation ({@code (a+)+},
 *       {@code (a|aa)*}, {@code (.*a){12}}): the classic exponential patterns;
 *   <li>in Java patterns, no {@code (?...)} construct but {@code (?:}, and no {@code \Q}.
 * </ul>
 * An accepted pattern tries at most {@link #choices} × (n + 1)<sup>{@link #unbounded}</sup>
 * ways to match at one position of a text of length n, each at most {@link #length} + n
 * characters long: the screen turns that into steps (see {@link #steps}).
 */
final class RegexCost {

  /** Quantifiers without an upper bound: {@code *}, {@code +}, {@code {m,}}. */
  final int unbounded;
  /** The product of the bounded choices: {@code ?} (2), {@code {m,n}}, alternations. */
  final long choices;
  /** The longest match of the pattern's bounded parts. */
  final long length;
  /** A pattern that can only match at the text's start ({@code ^...}, no multi-line flag). */
  final boolean anchored;
  /** Why the pattern is refused, or null. */
  final String refused;

  private RegexCost(int unbounded, long choices, long length, boolean anchored, String refused) {
    this.unbounded = unbounded;
    this.choices = choices;
    this.length = length;
    this.anchored = anchored;
    this.refused = refused;
  }

  /** The flavours of the functions that take a pattern. */
  enum Flavour { XPATH, JAVA }

  /**
   * Reads {@code pattern} as {@code flavour} with {@code flags} (XPath flags; null for none).
   */
  static RegexCost read(String pattern, String flags, Flavour flavour) {
    String f = flags == null ? "" : flags;
    for (char c : f.toCharArray()) {
      if ("smixq".indexOf(c) < 0) {
        return refuse("the flag \"" + c + "\" is not allowed (only s, m, i, x and q are)");
      }
    }
    if (f.indexOf('q') >= 0) {
      return new RegexCost(0, 1, pattern.length(), false, null); // a literal text, no metacharacters
    }
    String p = f.indexOf('x') >= 0 ? withoutSpaces(pattern) : pattern;
    return new Scanner(p, flavour, f.indexOf('m') < 0).scan();
  }

  private static RegexCost refuse(String why) {
    return new RegexCost(0, 1, 0, false, why);
  }

  /**
   * An upper bound of the steps matching the pattern takes on a text of {@code n} characters:
   * every start position, and at each one every way to match.
   */
  long steps(long n) {
    long perStart = Lin.mul(Lin.mul(choices, Lin.pow(n + 1, unbounded)), Lin.add(length, n) + 1);
    long starts = anchored ? 1 : n + 1;
    return Lin.add(n + 1, Lin.mul(starts, perStart));
  }

  /**
   * The degree of {@link #steps} in the text's length: steps grow at most linearly with the
   * length when this is at most 1.
   */
  int degree() {
    return unbounded + (anchored ? 0 : 1);
  }

  /** XPath's {@code x} flag: whitespace outside character classes is no part of the pattern. */
  private static String withoutSpaces(String pattern) {
    StringBuilder out = new StringBuilder();
    int inClass = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        out.append(c).append(pattern.charAt(++i));
        continue;
      }
      if (c == '[') {
        inClass++;
      } else if (c == ']' && inClass > 0) {
        inClass--;
      }
      if (inClass > 0 || !Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** One pass over the pattern, group by group. */
  private static final class Scanner {
    private final String p;
    private final Flavour flavour;
    private final boolean singleLine;
    private int i;

    Scanner(String pattern, Flavour flavour, boolean singleLine) {
      this.p = pattern;
      this.flavour = flavour;
      this.singleLine = singleLine;
    }

    /** What a group (or the whole pattern) holds. */
    private static final class Group {
      int unbounded;
      long choices = 1;
      long length;
      int branches = 1;
      /** Holds a quantifier or an alternation, at any depth. */
      boolean ambiguous;
      long branchLength; // the longest branch so far
    }

    RegexCost scan() {
      boolean anchored = singleLine && p.startsWith("^");
      try {
        Group top = group(false);
        if (i < p.length()) {
          return refuse("an unbalanced \")\"");
        }
        return new RegexCost(top.unbounded, top.choices, top.length, anchored, null);
      } catch (Refused e) {
        return refuse(e.getMessage());
      }
    }

    /** Reads up to the closing parenthesis (or the end) and returns what was read. */
    private Group group(boolean inner) {
      Group g = new Group();
      long branch = 0;
      while (i < p.length()) {
        char c = p.charAt(i);
        if (c == ')') {
          if (!inner) {
            throw new Refused("an unbalanced \")\"");
          }
          break;
        }
        if (c == '|') {
          i++;
          g.branches++;
          g.branchLength = Math.max(g.branchLength, branch);
          branch = 0;
          continue;
        }
        // One atom, then its quantifier if any.
        Group atom = atom();
        Quantifier q = quantifier();
        if (q == null) {
          add(g, atom, 1);
          branch = Lin.add(branch, atom.length);
          continue;
        }
        boolean repeats = q.max < 0 || q.max > 1;
        if (repeats && atom.ambiguous) {
          throw new Refused("a repeated group holds a quantifier or an alternation (as in"
              + " (a+)+ or (a|aa)*): such a pattern can take time exponential in the length"
              + " of the text");
        }
        add(g, atom, 1);
        g.ambiguous = true;
        if (q.max < 0) {
          g.unbounded++;
        } else {
          g.choices = Lin.mul(g.choices, q.max - q.min + 1);
          branch = Lin.add(branch, Lin.mul(atom.length, q.max));
        }
      }
      g.branchLength = Math.max(g.branchLength, branch);
      g.length = g.branchLength;
      g.choices = Lin.mul(g.choices, g.branches);
      g.ambiguous |= g.branches > 1;
      return g;
    }

    private static void add(Group into, Group atom, int times) {
      into.unbounded += atom.unbounded * times;
      into.choices = Lin.mul(into.choices, atom.choices);
      into.ambiguous |= atom.ambiguous;
    }

    /** One atom: a group, a character class, an escape or a character. */
    private Group atom() {
      char c = p.charAt(i);
      Group atom = new Group();
      atom.length = 1;
      if (c == '(') {
        i++;
        if (i < p.length() && p.charAt(i) == '?') {
          if (i + 1 < p.length() && p.charAt(i + 1) == ':') {
            i += 2;
          } else {
            throw new Refused("\"(?\" constructs other than \"(?:\" (look-arounds, named groups,"
                + " inline flags) are not allowed");
          }
        }
        Group inner = group(true);
        if (i >= p.length()) {
          throw new Refused("an unclosed \"(\"");
        }
        i++; // ')'
        return inner;
      }
      if (c == '[') {
        skipClass();
        return atom;
      }
      if (c == '\\') {
        escape();
        return atom;
      }
      i++;
      if (c == '^' || c == '$') {
        atom.length = 0;
      }
      return atom;
    }

    private void escape() {
      if (i + 1 >= p.length()) {
        throw new Refused("a pattern may not end with \"\\\"");
      }
      char e = p.charAt(i + 1);
      if (e >= '1' && e <= '9') {
        throw new Refused("back-references (\\" + e + ") are not allowed: matching with them can"
            + " take time exponential in the length of the text");
      }
      if (flavour == Flavour.JAVA && (e == 'k' || e == 'Q' || e == 'E')) {
        throw new Refused("\\" + e + " is not allowed in a split delimiter");
      }
      i += 2;
      if ((e == 'p' || e == 'P' || (flavour == Flavour.JAVA && e == 'x'))
          && i < p.length() && p.charAt(i) == '{') {
        int end = p.indexOf('}', i);
        i = end < 0 ? p.length() : end + 1;
      }
    }

    /** A character class, nested classes (XPath subtraction, Java unions) included. */
    private void skipClass() {
      int depth = 0;
      while (i < p.length()) {
        char c = p.charAt(i);
        if (c == '\\') {
          escape();
          continue;
        }
        i++;
        if (c == '[') {
          depth++;
        } else if (c == ']' && --depth == 0) {
          return;
        }
      }
      throw new Refused("an unclosed \"[\"");
    }

    private record Quantifier(long min, long max) {}

    /** The quantifier after an atom: {@code max} is -1 when unbounded. */
    private Quantifier quantifier() {
      if (i >= p.length()) {
        return null;
      }
      char c = p.charAt(i);
      Quantifier q;
      if (c == '*') {
        q = new Quantifier(0, -1);
        i++;
      } else if (c == '+') {
        q = new Quantifier(1, -1);
        i++;
      } else if (c == '?') {
        q = new Quantifier(0, 1);
        i++;
      } else if (c == '{') {
        int end = p.indexOf('}', i);
        if (end < 0) {
          return null; // a literal '{' in Java; an error in XPath, which the validator reports
        }
        String inside = p.substring(i + 1, end);
        if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
          return null;
        }
        int comma = inside.indexOf(',');
        long min = Long.parseLong(comma < 0 ? inside : inside.substring(0, comma));
        long max = comma < 0 ? min
            : comma == inside.length() - 1 ? -1 : Long.parseLong(inside.substring(comma + 1));
        q = new Quantifier(min, max < 0 ? -1 : Math.max(max, min));
        i = end + 1;
      } else {
        return null;
      }
      // Lazy and possessive forms cost no more than the greedy one.
      if (i < p.length() && (p.charAt(i) == '?' || (flavour == Flavour.JAVA && p.charAt(i) == '+'))) {
        i++;
      }
      return q;
    }
  }

  /** Why a pattern is refused, thrown from deep in the scan. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
