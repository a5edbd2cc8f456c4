package io.relais.dsl.parser;

import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses one {@code .rules} file into its syntax tree. Never throws: every problem becomes a
 * {@link Diagnostic}, and the tree holds every item that parsed cleanly.
 */
public final class RulesParser {

  /**
   * Deeper nesting (parentheses, brackets, runs of {@code not}) is refused before parsing, so
   * neither the parser nor the tree builder can run out of stack.
   */
  static final int MAX_NESTING = 100;

  private static final Set<Integer> ARITHMETIC = Set.of(
      RelaisLexer.PLUS, RelaisLexer.MINUS, RelaisLexer.ASTERISK, RelaisLexer.SLASH);

  /** Tokens after which a new value starts, so the arithmetic chain before them is over. */
  private static final Set<Integer> ENDS_VALUE = Set.of(
      RelaisLexer.AND, RelaisLexer.OR, RelaisLexer.NOT, RelaisLexer.EQ, RelaisLexer.NEQ,
      RelaisLexer.LT, RelaisLexer.LTE, RelaisLexer.GT, RelaisLexer.GTE, RelaisLexer.IS,
      RelaisLexer.BETWEEN, RelaisLexer.IN, RelaisLexer.CONTAINS, RelaisLexer.MATCHES,
      RelaisLexer.COMMA, RelaisLexer.WHEN, RelaisLexer.THEN, RelaisLexer.WHERE,
      RelaisLexer.WITHIN, RelaisLexer.BY, RelaisLexer.TO, RelaisLexer.FROM, RelaisLexer.POINTS,
      RelaisLexer.END);

  private static final Comparator<Diagnostic> BY_POSITION = Comparator
      .comparingInt((Diagnostic d) -> d.span().line())
      .thenComparingInt(d -> d.span().column());

  private RulesParser() {}

  /** The tree of {@code source} and its diagnostics, sorted by position. */
  public static ParseResult parse(Source source) {
    return new Run(source).parse();
  }

  /** The state of one parse. */
  private static final class Run {
    private final Source source;
    private final Spans spans;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<Item> items = new ArrayList<>();
    private final List<RuleFile.Comment> comments = new ArrayList<>();
    private final CommonTokenStream tokens;
    private final Messages messages;
    private final SyntaxErrorStrategy recovering;
    private final BailErrorStrategy bail = new BailErrorStrategy();
    private final AstBuilder builder;
    private BitSet badTokens = new BitSet();
    private RelaisParser parser;

    Run(Source source) {
      this.source = source;
      this.spans = new Spans(source);
      RelaisLexer lexer = new RelaisLexer(CharStreams.fromString(source.text(), source.name()));
      lexer.removeErrorListeners();
      this.tokens = new CommonTokenStream(lexer);
      this.messages = new Messages(spans);
      this.recovering = new SyntaxErrorStrategy(messages, diagnostics);
      this.builder = new AstBuilder(spans, diagnostics);
    }

    ParseResult parse() {
      try {
        tokens.fill();
        collectComments();
        TokenChecks checks = new TokenChecks(spans, diagnostics);
        checks.check(tokens.getTokens());
        badTokens = checks.bad();
        recovering.badTokens(badTokens);
        parser = newParser();
        tokens.seek(0);
        while (tokens.LA(1) != Token.EOF) {
          Token start = tokens.LT(1);
          if (!Messages.ITEM_START.contains(start.getType())) {
            diagnostics.add(messages.notAnItem(start));
            skipToNextItem();
          } else if (!tooDeep(start)) {
            parseItem(start);
          }
        }
      } catch (StackOverflowError e) {
        // Only reachable through nesting MAX_NESTING does not count (a long chain of `not`).
        diagnostics.add(nestedTooDeeply(tokens.LT(1)));
      }
      diagnostics.sort(BY_POSITION);
      RuleFile file = new RuleFile(source.name(), items, comments, spans.whole());
      return new ParseResult(file, diagnostics);
    }

    private RelaisParser newParser() {
      RelaisParser p = new RelaisParser(tokens);
      p.removeErrorListeners();
      return p;
    }

    /** SLL first (fast, enough for valid text), full LL with recovery only when it fails. */
    private void parseItem(Token start) {
      int errorsBefore = diagnostics.size();
      RelaisParser.ItemContext ctx;
      boolean failed = false;
      try {
        parser.setErrorHandler(bail);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        try {
          ctx = parser.item();
        } catch (ParseCancellationException e) {
          tokens.seek(start.getTokenIndex());
          parser.setErrorHandler(recovering);
          recovering.reset(parser);
          parser.getInterpreter().setPredictionMode(PredictionMode.LL);
          ctx = parser.item();
          // An error right after a bad token is not reported, but the item is still broken.
          failed = recovering.sawError();
        }
      } catch (StackOverflowError e) {
        diagnostics.add(nestedTooDeeply(start));
        parser = newParser();
        tokens.seek(start.getTokenIndex() + 1);
        skipToNextItem();
        return;
      }
      if (tokens.index() <= start.getTokenIndex()) {
        tokens.consume();
      }
      if (failed || diagnostics.size() > errorsBefore) {
        return;
      }
      // Token problems were reported before parsing; building still finds the template and
      // duration problems of the same item, and then the item is left out all the same.
      int firstBad = badTokens.nextSetBit(start.getTokenIndex());
      boolean hasBadToken = firstBad >= 0 && firstBad < tokens.index();
      try {
        Item item = builder.item(ctx);
        if (diagnostics.size() == errorsBefore && !hasBadToken) {
          items.add(item);
        }
      } catch (StackOverflowError e) {
        diagnostics.add(nestedTooDeeply(start));
      }
    }

    /**
     * Reports nesting deeper than {@link #MAX_NESTING} in the item at {@code start}: open
     * parentheses and brackets, the current run of {@code not}, and the operators of each open
     * arithmetic chain ({@code 1 + 1 + ...} builds one tree level per operator).
     */
    private boolean tooDeep(Token start) {
      int depth = 0;
      int nots = 0;
      // chains[d]: arithmetic operators so far in the value being read at parenthesis depth d.
      int[] chains = new int[MAX_NESTING + 2];
      int chained = 0;
      for (int i = start.getTokenIndex(); ; i++) {
        Token t = tokens.get(i);
        int type = t.getType();
        if (type == Token.EOF || (i > start.getTokenIndex() && startsItemAt(i))) {
          return false;
        }
        // `not not not x` nests like parentheses do, until the run of `not` ends.
        nots = type == RelaisLexer.NOT ? nots + 1 : 0;
        if (type == RelaisLexer.LPAREN || type == RelaisLexer.LBRACKET) {
          depth++;
          if (depth < chains.length) {
            chains[depth] = 0;
          }
        } else if (type == RelaisLexer.RPAREN || type == RelaisLexer.RBRACKET) {
          if (depth > 0 && depth < chains.length) {
            chained -= chains[depth];
            chains[depth] = 0;
          }
          depth = Math.max(0, depth - 1);
        } else if (depth < chains.length) {
          if (ARITHMETIC.contains(type)) {
            chains[depth]++;
            chained++;
          } else if (ENDS_VALUE.contains(type)) {
            chained -= chains[depth];
            chains[depth] = 0;
          }
        }
        if (depth + nots + chained > MAX_NESTING) {
          diagnostics.add(nestedTooDeeply(t));
          tokens.seek(i);
          skipToNextItem();
          return true;
        }
      }
    }

    private boolean startsItemAt(int index) {
      if (!Messages.ITEM_START.contains(tokens.get(index).getType())) {
        return false;
      }
      int here = tokens.index();
      tokens.seek(index);
      boolean starts = SyntaxErrorStrategy.startsItem(tokens);
      tokens.seek(here);
      return starts;
    }

    private Diagnostic nestedTooDeeply(Token at) {
      return Diagnostic.error("nested-too-deeply", spans.of(at),
          "nested too deeply: split this condition (at most " + MAX_NESTING
              + " nested parentheses, `not` or chained + - * /)");
    }

    /** Consumes at least one token, then up to the next plausible item start. */
    private void skipToNextItem() {
      if (tokens.LA(1) != Token.EOF) {
        tokens.consume();
      }
      while (tokens.LA(1) != Token.EOF && !SyntaxErrorStrategy.startsItem(tokens)) {
        tokens.consume();
      }
    }

    private void collectComments() {
      for (Token t : tokens.getTokens()) {
        if (t.getType() == RelaisLexer.COMMENT) {
          comments.add(new RuleFile.Comment(t.getText().substring(1), spans.of(t)));
        }
      }
    }
  }
}
