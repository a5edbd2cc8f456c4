package io.relais.dsl;

import java.util.Locale;
import java.util.Optional;

/**
 * What a name may hold: the names of the language (rules, campaigns, steps, tiers, rewards,
 * tags, segments, tables, the ruleset, any quoted name) and the file names of a ruleset. At most
 * {@link #MAX_LENGTH} characters, none of them invisible or able to change how the text around
 * them reads: control characters (C0, DEL, C1: NUL, line feed, escape...), the line and
 * paragraph separators U+2028 and U+2029, the bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), U+FEFF and unpaired
 * surrogates. Every other character is allowed, emoji and their joiners included.
 */
public final class Names {

  /** The longest name, in characters (code points). */
  public static final int MAX_LENGTH = 200;

  private Names() {}

  /** Why {@code name} cannot be a name, in a phrase ("has 5000 characters..."); empty when it can. */
  public static Optional<String> problem(String name) {
    int refused = firstRefused(name);
    if (refused >= 0) {
      return Optional.of("holds the character " + describe(name.codePointAt(refused))
          + ": names hold no control, line-separator or bidirectional-formatting characters");
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_LENGTH) {
      return Optional.of("has " + length + " characters: names have at most " + MAX_LENGTH);
    }
    return Optional.empty();
  }

  /** {@code text} as a message quotes it: whole up to 40 characters, else its start and "...". */
  public static String shortened(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  /** The index (in chars) of the first character a name may not hold, or -1. */
  public static int firstRefused(String name) {
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (isRefused(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /** Whether a name may not hold the code point (an unpaired surrogate arrives as one). */
  public static boolean isRefused(int c) {
    return Character.isISOControl(c)
        || c == 0x2028 || c == 0x2029
        || c == 0x061C || c == 0x200E || c == 0x200F
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xFEFF
        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }

  /** {@code U+0000}. */
  public static String describe(int c) {
    return String.format(Locale.ROOT, "U+%04X", c);
  }
}
