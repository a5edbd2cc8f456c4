package io.relais.dsl.parser;

import static io.relais.dsl.parser.RelaisParser.*;

import io.relais.dsl.diagnostic.Diagnostic;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Reports a syntax error once, where it happens, then recovers only at chosen places: the next
 * action or {@code end} inside a rule, the {@code then} after a broken condition, the next step
 * of a campaign, or the next top-level item. ANTLR's single-token insertion and deletion are
 * off, so positions are those of the text as written.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

  private final Messages messages;
  private final List<Diagnostic> diagnostics;
  /**
   * Tokens that could have continued a construct ANTLR left at this token index (an optional
   * `and`, an operator): added to the expected set of an error at the same index.
   */
  private IntervalSet pending = new IntervalSet();
  private int pendingIndex = -1;
  /** Tokens the token checks reported; an error right after one is its echo, not news. */
  private BitSet badTokens = new BitSet();
  private boolean sawError;

  SyntaxErrorStrategy(Messages messages, List<Diagnostic> diagnostics) {
    this.messages = messages;
    this.diagnostics = diagnostics;
  }

  void badTokens(BitSet bad) {
    this.badTokens = bad;
  }

  @Override
  public Token recoverInline(Parser recognizer) {
    throw new InputMismatchException(recognizer);
  }

  @Override
  public void sync(Parser recognizer) {
    if (inErrorRecoveryMode(recognizer)) {
      return;
    }
    ATNState state = recognizer.getInterpreter().atn.states.get(recognizer.getState());
    TokenStream tokens = recognizer.getInputStream();
    int la = tokens.LA(1);
    IntervalSet next = recognizer.getATN().nextTokens(state);
    if (next.contains(la)) {
      return;
    }
    if (next.contains(Token.EPSILON)) {
      if (pendingIndex != tokens.index()) {
        pending = new IntervalSet();
        pendingIndex = tokens.index();
      }
      pending.addAll(next);
      return;
    }
    switch (state.getStateType()) {
      case ATNState.BLOCK_START, ATNState.STAR_BLOCK_START, ATNState.PLUS_BLOCK_START,
          ATNState.STAR_LOOP_ENTRY, ATNState.PLUS_LOOP_BACK, ATNState.STAR_LOOP_BACK ->
          throw new InputMismatchException(recognizer);
      default -> { }
    }
  }

  /** Whether any error (reported or not) happened since the last {@link #reset}. */
  boolean sawError() {
    return sawError;
  }

  @Override
  public void reset(Parser recognizer) {
    super.reset(recognizer);
    sawError = false;
  }

  @Override
  public void reportError(Parser recognizer, RecognitionException e) {
    sawError = true;
    if (inErrorRecoveryMode(recognizer)) {
      return;
    }
    beginErrorCondition(recognizer);
    Token found = e.getOffendingToken() != null
        ? e.getOffendingToken()
        : recognizer.getCurrentToken();
    IntervalSet required = new IntervalSet();
    if (e.getExpectedTokens() != null) {
      required.addAll(e.getExpectedTokens());
    }
    IntervalSet optional = found.getTokenIndex() == pendingIndex ? pending : new IntervalSet();
    if (followsBadToken(recognizer.getInputStream(), found)) {
      return;
    }
    ParserRuleContext ctx = e.getCtx() instanceof ParserRuleContext c
        ? c
        : recognizer.getContext();
    diagnostics.add(messages.syntaxError(ctx, found, recognizer.getInputStream(), required, optional));
  }

  private boolean followsBadToken(TokenStream tokens, Token found) {
    for (int i = found.getTokenIndex() - 1; i >= 0; i--) {
      if (tokens.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
        return badTokens.get(i);
      }
    }
    return false;
  }

  @Override
  public void recover(Parser recognizer, RecognitionException e) {
    ParserRuleContext ctx = recognizer.getContext();
    Level level = levelOf(ctx);
    if (level == null) {
      // Not a place to resume: unwind to the enclosing rule that is one.
      throw e;
    }
    TokenStream tokens = recognizer.getInputStream();
    if (tokens.index() <= ctx.getStart().getTokenIndex() && tokens.LA(1) != Token.EOF) {
      recognizer.consume();
    }
    while (tokens.LA(1) != Token.EOF && !resumesAt(level, tokens)) {
      recognizer.consume();
    }
  }

  private enum Level { ITEM, ACTION, CONDITION, STEP }

  private static Level levelOf(ParserRuleContext ctx) {
    if (ctx instanceof ItemContext) {
      return Level.ITEM;
    }
    if (ctx instanceof ActionContext) {
      return Level.ACTION;
    }
    if (ctx instanceof WhenClauseContext || ctx instanceof ExitClauseContext) {
      return Level.CONDITION;
    }
    if (ctx instanceof StepContext) {
      return Level.STEP;
    }
    return null;
  }

  private static boolean resumesAt(Level level, TokenStream tokens) {
    if (startsItem(tokens)) {
      return true;
    }
    int la = tokens.LA(1);
    return switch (level) {
      case ITEM -> false;
      case ACTION -> la == END
          || (Messages.ACTION_START.contains(la) && tokens.LA(-1) != DOT);
      case CONDITION -> la == THEN || la == END;
      case STEP -> la == STEP || la == EXIT || la == END;
    };
  }

  /**
   * Whether the next token plausibly starts a top-level item. Item keywords also occur inside
   * rules ({@code in segment "S"}, {@code event is X}), so the keyword must start its line (or
   * follow {@code end}) and be followed by what the item needs next.
   */
  static boolean startsItem(TokenStream tokens) {
    Token token = tokens.LT(1);
    if (!Messages.ITEM_START.contains(token.getType())) {
      return false;
    }
    Token before = tokens.LT(-1);
    if (before != null && before.getLine() == token.getLine() && before.getType() != END) {
      return false;
    }
    int next = tokens.LA(2);
    return switch (token.getType()) {
      case EVENT -> isName(next) && tokens.LA(3) == LBRACE;
      case DEFAULT -> next == OWNER;
      case ATTRIBUTE -> next == CONTACT;
      case DEFINE -> isName(next);
      case QUIET -> next == HOURS;
      // `at most once per` continues a notify written over two lines.
      case AT -> next == MOST && tokens.LA(3) != ONCE;
      default -> next == STRING || next == UNTERMINATED_STRING;
    };
  }

  private static boolean isName(int type) {
    return type == IDENT || Messages.NON_RESERVED.contains(type);
  }
}
