package io.relais.engine.compile;

import java.util.regex.Pattern;

/**
 * The language's {@code matches}: {@code *} any run without {@code /}, {@code **} any run,
 * {@code ?} any one character ({@code /} included: DSL.md says "one char"), everything else literal; the whole text must match. Compiled once
 * to a regular expression whose literal parts are quoted, so no user text acts as a regex.
 */
public final class Glob {

  private final String glob;
  private final Pattern pattern;

  private Glob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  public static Glob compile(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        if (c == '?') {
          regex.append(".");
        } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new Glob(glob, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  public boolean matches(String text) {
    return text != null && pattern.matcher(text).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
