package io.relais.dsl.parser;

/**
 * String literals: their unescaped value, and where each character of that value sits in the
 * literal as written (so template placeholders can point inside the quotes).
 */
final class Strings {

  private Strings() {}

  /** An unescaped string and, per character, its offset in the token text. */
  record Unescaped(String value, int[] offsets) {}

  /**
   * Unescapes a string token's text, its opening quote included (and its closing one when
   * {@code terminated}).
   * Lenient: an unknown escape keeps its character; the token check reports it.
   */
  static Unescaped unescape(String token, boolean terminated) {
    int end = terminated ? token.length() - 1 : token.length();
    StringBuilder value = new StringBuilder(end);
    int[] offsets = new int[end + 1];
    int i = 1;
    while (i < end) {
      offsets[value.length()] = i;
      char c = token.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        value.append(c);
        i++;
        continue;
      }
      char next = token.charAt(i + 1);
      switch (next) {
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case '"', '\\' -> value.append(next);
        case 'u' -> {
          if (isUnicodeEscape(token, i, end)) {
            value.append((char) Integer.parseInt(token.substring(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          value.append(next);
        }
        default -> value.append(next);
      }
      i += 2;
    }
    offsets[value.length()] = end;
    int[] trimmed = new int[value.length() + 1];
    System.arraycopy(offsets, 0, trimmed, 0, trimmed.length);
    return new Unescaped(value.toString(), trimmed);
  }

  static boolean isUnicodeEscape(String token, int backslash, int end) {
    if (backslash + 6 > end) {
      return false;
    }
    for (int k = backslash + 2; k < backslash + 6; k++) {
      if (Character.digit(token.charAt(k), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
