package io.relais.dsl.parser;

import java.util.Locale;

/**
 * One token of rule text as editors see it: its kind, its text as written and where it sits
 * ({@code start} and {@code end} are UTF-16 offsets in the file, end exclusive; {@code line}
 * is 1-based). ANTLR's tokens stay inside this package.
 */
public record Lexeme(Kind kind, String text, int start, int end, int line) {

  /** What sort of token. */
  public enum Kind {
    /** A word of the language ({@code when}, {@code contact}); its text may be in any case. */
    KEYWORD,
    /** An identifier that is no keyword. */
    NAME,
    /** A string with its closing quote. */
    STRING,
    /** A string whose closing quote is missing (the rest of its line). */
    OPEN_STRING,
    NUMBER,
    DATE,
    /** Punctuation and operators: {@code ( ) [ ] { } , . : = != < <= > >= + - * /}. */
    SYMBOL,
    /** A {@code # comment}, its {@code #} included. */
    COMMENT,
    /** A character the language does not know. */
    OTHER
  }

  /** Whether this is the keyword or symbol {@code word} (keywords ignore case). */
  public boolean is(String word) {
    return (kind == Kind.KEYWORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
  }

  /** A keyword's canonical (lower-case) spelling; any other token's text. */
  public String word() {
    return kind == Kind.KEYWORD ? text.toLowerCase(Locale.ROOT) : text;
  }

  public boolean isString() {
    return kind == Kind.STRING || kind == Kind.OPEN_STRING;
  }

  /** Whether this token can be a name: an identifier or, after a dot, any keyword. */
  public boolean isWord() {
    return kind == Kind.NAME || kind == Kind.KEYWORD;
  }

  /** A string's value, unescaped, without its quotes; the text of any other token. */
  public String value() {
    return isString() ? Strings.unescape(text, kind == Kind.STRING).value() : text;
  }
}
