package io.relais.dsl.parser;

import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * What the grammar says about one position of a file, for completion and hover: the tokens of
 * the item being written up to the position, the word or string the position is in, and what
 * may come there (keywords, a name, a string, a value). The expectation is ANTLR's own: the
 * item's tokens before the word are parsed with the end of input at the position, and the
 * parser's expected set where it meets that end is the answer.
 *
 * @param before the tokens of the current item before {@link #word()} (comments left out)
 * @param word the name, keyword, number or string the position is inside or at the end of
 * @param after the next few tokens after the word (or the position), comments left out
 * @param keywords the keywords that may start at the word (lower case); keywords that could
 *     only be names there are left out when a name may come
 * @param name whether a name (an identifier) may come
 * @param string whether a quoted string may come
 * @param value whether a value may come (a condition or an amount: fields, functions, literals)
 * @param known whether the expectation is known: false when the text before the word does not
 *     parse, and then the three flags and {@code keywords} are empty
 * @param inComment whether the position is inside a comment
 */
public record CursorContext(
    List<Lexeme> before,
    Optional<Lexeme> word,
    List<Lexeme> after,
    Set<String> keywords,
    boolean name,
    boolean string,
    boolean value,
    boolean known,
    boolean inComment) {

  public CursorContext {
    before = List.copyOf(before);
    after = List.copyOf(after);
    keywords = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(keywords));
  }

  /** How many tokens {@link #after()} holds at most. */
  private static final int AFTER = 4;

  /** Every keyword of the language, lower case, as the lexer knows them. */
  public static final List<String> KEYWORDS = allKeywords();

  /** The context of UTF-16 offset {@code offset} of {@code source} (clamped to the text). */
  public static CursorContext at(Source source, int offset) {
    int at = Math.max(0, Math.min(offset, source.text().length()));
    Spans spans = new Spans(source);
    RelaisLexer lexer = new RelaisLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    List<Token> code = new ArrayList<>();
    List<Lexeme> lexemes = new ArrayList<>();
    List<Lexeme> after = new ArrayList<>();
    boolean inComment = false;
    for (Token t = lexer.nextToken(); t.getType() != Token.EOF && after.size() < AFTER;
        t = lexer.nextToken()) {
      Lexeme lexeme = lexeme(t, spans);
      if (t.getChannel() != Token.DEFAULT_CHANNEL) {
        inComment |= lexeme.start() < at && at <= lexeme.end();
      } else if (lexeme.start() >= at) {
        after.add(lexeme);
      } else {
        code.add(t);
        lexemes.add(lexeme);
      }
    }
    // The last token before the position is the word when the position is inside it or at
    // its end (a closed string only when inside its quotes).
    Lexeme word = null;
    if (!lexemes.isEmpty()) {
      Lexeme last = lexemes.get(lexemes.size() - 1);
      boolean touching = switch (last.kind()) {
        case NAME, KEYWORD, NUMBER, DATE, OPEN_STRING -> at <= last.end();
        case STRING -> at < last.end();
        default -> false;
      };
      if (touching) {
        word = last;
        code.remove(code.size() - 1);
        lexemes.remove(lexemes.size() - 1);
      }
    }
    int start = itemStart(code);
    List<Token> item = code.subList(start, code.size());
    IntervalSet expected = expect(item);
    if (expected == null) {
      // An error earlier in the item (the condition being written while the actions are
      // added): the expectation of the item's head followed by its last clause alone.
      List<Token> clause = lastClause(item);
      expected = clause == null ? null : expect(clause);
    }
    Optional<Lexeme> w = Optional.ofNullable(word);
    List<Lexeme> before = lexemes.subList(start, lexemes.size());
    if (expected == null) {
      return new CursorContext(before, w, after, Set.of(), false, false, false, false, inComment);
    }
    boolean name = expected.contains(RelaisLexer.IDENT);
    Set<String> keywords = new LinkedHashSet<>();
    for (int type : expected.toArray()) {
      String keyword = keyword(type);
      if (keyword != null && !(name && Messages.NON_RESERVED.contains(type))) {
        keywords.add(keyword);
      }
    }
    return new CursorContext(before, w, after, keywords, name,
        expected.contains(RelaisLexer.STRING),
        expected.contains(RelaisLexer.COUNT), true, inComment);
  }

  private static IntervalSet expect(List<Token> tokens) {
    Expectation expectation = new Expectation();
    try {
      expectation.parse(tokens);
    } catch (StackOverflowError e) {
      return null;
    }
    return expectation.expected;
  }

  /**
   * The head of the item ({@code KIND "name"}, {@code campaign "name"}, {@code table "T" from
   * "f.dmn"}) and its tokens from the last clause keyword on ({@code when}, {@code then},
   * {@code step}, {@code exit}, {@code input}); null when there is no such clause.
   */
  private static List<Token> lastClause(List<Token> item) {
    int head = !item.isEmpty() && item.get(0).getType() == RelaisLexer.TABLE ? 4 : 2;
    for (int j = item.size() - 1; j >= head; j--) {
      int type = item.get(j).getType();
      boolean clause = type == RelaisLexer.THEN || type == RelaisLexer.WHEN
          || type == RelaisLexer.STEP || type == RelaisLexer.EXIT || type == RelaisLexer.INPUT;
      // After a dot the word is a name (event.then), unless the dot was left dangling.
      Token previous = item.get(j - 1);
      if (clause && (previous.getType() != RelaisLexer.DOT
          || previous.getLine() != item.get(j).getLine())) {
        int from = type == RelaisLexer.WHEN && item.get(j - 1).getType() == RelaisLexer.EXIT
            ? j - 1 : j;
        List<Token> tokens = new ArrayList<>(item.subList(0, head));
        tokens.addAll(item.subList(from, item.size()));
        return tokens;
      }
    }
    return null;
  }

  /** Every token of {@code source}, comments included, in order. */
  public static List<Lexeme> lexemes(Source source) {
    Spans spans = new Spans(source);
    RelaisLexer lexer = new RelaisLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    List<Lexeme> all = new ArrayList<>();
    for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
      all.add(lexeme(t, spans));
    }
    return all;
  }

  /**
   * Where the item that holds the last token starts: the last plausible item start (its
   * keyword first on its line, or after {@code end}, followed by what the item needs), or
   * an item keyword in the first column when the text stops right after it.
   */
  private static int itemStart(List<Token> code) {
    List<Token> list = new ArrayList<>(code);
    CommonTokenStream tokens = new CommonTokenStream(new ListTokenSource(list));
    tokens.fill();
    for (int i = code.size() - 1; i > 0; i--) {
      Token t = code.get(i);
      if (!Messages.ITEM_START.contains(t.getType())) {
        continue;
      }
      tokens.seek(i);
      boolean cut = i + 1 >= code.size();
      if (SyntaxErrorStrategy.startsItem(tokens)
          || (cut && t.getCharPositionInLine() == 0)) {
        return i;
      }
    }
    return 0;
  }

  private static Lexeme lexeme(Token t, Spans spans) {
    int start = spans.startOf(t);
    int end = spans.endOf(t);
    return new Lexeme(kind(t.getType()), t.getText(), start, end, t.getLine());
  }

  private static Lexeme.Kind kind(int type) {
    if (keyword(type) != null) {
      return Lexeme.Kind.KEYWORD;
    }
    return switch (type) {
      case RelaisLexer.IDENT -> Lexeme.Kind.NAME;
      case RelaisLexer.STRING -> Lexeme.Kind.STRING;
      case RelaisLexer.UNTERMINATED_STRING -> Lexeme.Kind.OPEN_STRING;
      case RelaisLexer.NUMBER, RelaisLexer.BAD_NUMBER -> Lexeme.Kind.NUMBER;
      case RelaisLexer.DATE -> Lexeme.Kind.DATE;
      case RelaisLexer.COMMENT -> Lexeme.Kind.COMMENT;
      case RelaisLexer.UNRECOGNIZED -> Lexeme.Kind.OTHER;
      default -> Lexeme.Kind.SYMBOL;
    };
  }

  /** The keyword of a token type, or null when the type is not a word of the language. */
  private static String keyword(int type) {
    String literal = RelaisLexer.VOCABULARY.getLiteralName(type);
    if (literal == null || literal.length() < 3 || !Character.isLetter(literal.charAt(1))) {
      return null;
    }
    return literal.substring(1, literal.length() - 1).toLowerCase(Locale.ROOT);
  }

  private static List<String> allKeywords() {
    Vocabulary vocabulary = RelaisLexer.VOCABULARY;
    List<String> words = new ArrayList<>();
    for (int type = 1; type <= vocabulary.getMaxTokenType(); type++) {
      String keyword = keyword(type);
      if (keyword != null) {
        words.add(keyword);
      }
    }
    return List.copyOf(words);
  }

  /**
   * Parses the tokens before the position as a sequence of items and keeps the parser's
   * expected set where the input ends; stops at the first error, before the position or at it.
   */
  private static final class Expectation extends DefaultErrorStrategy {
    /** Null until known; stays null when the text before the position has an error. */
    IntervalSet expected;

    void parse(List<Token> item) {
      List<Token> list = new ArrayList<>(item);
      RelaisParser parser = new RelaisParser(new CommonTokenStream(new ListTokenSource(list)));
      parser.removeErrorListeners();
      parser.setErrorHandler(this);
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      try {
        parser.file();
      } catch (ParseCancellationException e) {
        // where it stopped is recorded in expected
      }
    }

    private void stop(Parser parser) {
      if (parser.getInputStream().LA(1) == Token.EOF) {
        expected = parser.getExpectedTokens();
      }
      throw new ParseCancellationException();
    }

    @Override
    public void sync(Parser parser) {
      if (parser.getInputStream().LA(1) == Token.EOF) {
        stop(parser);
      }
    }

    @Override
    public Token recoverInline(Parser parser) {
      stop(parser);
      return null;
    }

    @Override
    public void reportError(Parser parser, RecognitionException e) {
      stop(parser);
    }

    @Override
    public void recover(Parser parser, RecognitionException e) {
      throw new ParseCancellationException();
    }
  }
}
