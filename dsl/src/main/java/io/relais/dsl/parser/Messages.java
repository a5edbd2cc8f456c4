package io.relais.dsl.parser;

import io.relais.dsl.Names;
import io.relais.dsl.diagnostic.Suggestions;
import static io.relais.dsl.parser.RelaisParser.*;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.parser.RelaisParser.CampaignDeclContext;
import io.relais.dsl.parser.RelaisParser.DurationContext;
import io.relais.dsl.parser.RelaisParser.RuleDeclContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Syntax error wording: the expected token set of the grammar, told in the words of the
 * language (a condition, an action, a tag name in quotes) instead of ANTLR token names.
 */
final class Messages {

  static final IntervalSet ITEM_START = first(RULE_item);
  static final IntervalSet ACTION_START = first(RULE_actionBody);
  static final IntervalSet CONDITION_START = first(RULE_expression);
  static final IntervalSet VALUE_START = first(RULE_valueExpression);
  static final IntervalSet NON_RESERVED = first(RULE_nonReserved);
  /** Every token that can be a name somewhere: identifiers and all keywords. */
  static final IntervalSet NAMES = first(RULE_anyName);
  static final IntervalSet STRINGS = IntervalSet.of(STRING, STRING);
  static final IntervalSet NUMBERS = new IntervalSet(NUMBER, BAD_NUMBER, MINUS);
  static final IntervalSet UNITS =
      new IntervalSet(MINUTE, MINUTES, HOUR, HOURS, DAY, DAYS, WEEK, WEEKS);
  /** Tokens that end a condition, in the order the message lists them. */
  private static final int[] CLOSERS = {THEN, WITHIN, RPAREN, END};
  /** Keywords listed in the order authors write them; the rest follow by token type. */
  private static final int[] ORDER = {
    PRIORITY, ACTIVE, FROM, UNTIL, WHEN, THEN, STEP, EXIT, WHERE, WITHIN, BY, EXPIRING, VIA, WITH,
    AT, BECAUSE, COMMA
  };

  static {
    STRINGS.add(UNTERMINATED_STRING);
    for (IntervalSet set : List.of(ITEM_START, ACTION_START, CONDITION_START, VALUE_START,
        NON_RESERVED, NAMES, STRINGS, NUMBERS, UNITS)) {
      set.setReadonly(true);
    }
  }

  private final Spans spans;

  Messages(Spans spans) {
    this.spans = spans;
  }

  private static IntervalSet first(int rule) {
    ATN atn = RelaisParser._ATN;
    IntervalSet set = new IntervalSet(atn.nextTokens(atn.ruleToStartState[rule]));
    set.remove(Token.EPSILON);
    return set;
  }

  /**
   * The diagnostic for {@code found} where the grammar required one of {@code required}, or
   * could have gone on with one of {@code optional} (an `and`, an operator) before that.
   */
  Diagnostic syntaxError(ParserRuleContext ctx, Token found, TokenStream tokens,
      IntervalSet required, IntervalSet optional) {
    IntervalSet expected = new IntervalSet(required);
    expected.addAll(optional);
    expected.remove(Token.EOF);
    expected.remove(Token.EPSILON);
    Token previous = previous(tokens, found);
    // At the end of the file, point just past the last word rather than at a line that may
    // be empty: that is where the missing text goes.
    var span = found.getType() == Token.EOF && previous != null
        ? spans.after(previous)
        : spans.of(found);
    // A stray character (`≥`, `;`) is named first: the rest of the message alone would hide it.
    String stray = found.getType() == UNRECOGNIZED ? unexpected(found) + ": " : "";
    String after = previous == null ? "" : " after `" + Names.shortened(previous.getText()) + "`";

    // A rule or campaign runs into the next item or the end of the file.
    // Where a name is required, every keyword is one too: they do not end anything there.
    boolean nameRequired = required.contains(IDENT);
    if (!nameRequired && expected.contains(END)
        && (found.getType() == Token.EOF || startsItem(found))) {
      for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
        if (c instanceof RuleDeclContext rule && rule.name != null) {
          return error(span, stray + "expected `end` to close rule " + rule.name.getText()
              + " (opened at line " + rule.getStart().getLine() + ")");
        }
        if (c instanceof CampaignDeclContext campaign && campaign.name != null) {
          return error(span, stray + "expected `end` to close campaign " + campaign.name.getText()
              + " (opened at line " + campaign.getStart().getLine() + ")");
        }
      }
    }

    // A complete condition followed by something else: only `and` or the closer can come.
    if (!nameRequired && expected.contains(AND) && expected.contains(OR)) {
      List<String> options = new ArrayList<>();
      List<Integer> keywords = new ArrayList<>();
      for (int closer : CLOSERS) {
        if (expected.contains(closer)) {
          options.add(literal(closer));
          keywords.add(closer);
        }
      }
      options.add(literal(AND));
      keywords.add(AND);
      return suggest(error(span, stray + "expected " + or(options) + " after the condition"),
          found, keywords);
    }

    // Only the required tokens from here on: what could have extended the previous construct
    // (an operator, `by`, `because`) is noise next to what must come.
    IntervalSet optionalOnly = expected;
    expected = new IntervalSet(required);
    expected.remove(Token.EOF);
    expected.remove(Token.EPSILON);
    if (expected.isNil()) {
      expected = optionalOnly;
    }

    // Actions written straight after the rule's header: only `then` is missing.
    if (expected.contains(THEN) && ACTION_START.contains(found.getType())) {
      return error(span, "expected `then` before the first action");
    }

    if (!expected.contains(IDENT) && contains(expected, ACTION_START)) {
      List<Integer> keywords = new ArrayList<>(ACTION_START.toList());
      String message = unexpected(found) + ": expected an action (tag, add, set, ...)";
      if (expected.contains(END)) {
        message += " or `end`";
        keywords.add(END);
      }
      return suggest(error(span, message), found, keywords);
    }

    ParserRuleContext owner = meaningful(ctx);
    if (onlyOf(expected, STRINGS)) {
      return error(span, stray + "expected " + stringNoun(owner, previous) + " in quotes" + after);
    }
    if (expected.contains(IDENT) && onlyOf(expected, NAMES)) {
      return error(span, stray + "expected " + nameNoun(owner, previous) + after);
    }
    if (onlyOf(expected, NUMBERS)) {
      return error(span, stray + "expected " + numberNoun(owner) + after);
    }
    if (onlyOf(expected, IntervalSet.of(DATE))) {
      return error(span, stray + "expected a date like 2026-11-27" + after);
    }
    if (onlyOf(expected, UNITS)) {
      return suggest(error(span, stray + "expected a unit (minutes, hours, days or weeks)" + after),
          found, UNITS.toList());
    }

    List<String> phrases = new ArrayList<>();
    IntervalSet rest = new IntervalSet(expected);
    if (rest.contains(IDENT) && rest.contains(HAS)) {
      phrases.add("a condition");
      rest = rest.subtract(CONDITION_START).subtract(NON_RESERVED);
    } else if (rest.contains(IDENT) && rest.contains(NUMBER)) {
      phrases.add("a value");
      rest = rest.subtract(VALUE_START).subtract(NON_RESERVED);
    } else if (rest.contains(IDENT)) {
      phrases.add(nameNoun(owner, previous));
      rest = rest.subtract(NAMES);
    }
    if (rest.contains(STRING)) {
      phrases.add(stringNoun(owner, previous) + " in quotes");
      rest = rest.subtract(STRINGS);
    }
    if (rest.contains(NUMBER)) {
      phrases.add("a number");
      rest = rest.subtract(NUMBERS);
    }
    if (rest.contains(DATE)) {
      phrases.add("a date like 2026-11-27");
      rest.remove(DATE);
    }
    if (contains(rest, UNITS)) {
      phrases.add("a unit (minutes, hours, days or weeks)");
      rest = rest.subtract(UNITS);
    }
    List<Integer> keywords = new ArrayList<>(rest.toList());
    keywords.sort(Comparator.comparingInt(Messages::rank));
    for (int type : keywords) {
      phrases.add(literal(type));
    }
    if (phrases.isEmpty()) {
      return error(span, unexpected(found));
    }
    return suggest(error(span, unexpected(found) + ": expected " + or(phrases)), found, keywords);
  }

  /** A token where no item may start (top level). */
  Diagnostic notAnItem(Token found) {
    var span = spans.of(found);
    if (found.getType() == END) {
      return error(span, "unexpected `end`: there is no rule or campaign to close here");
    }
    return suggest(error(span, unexpected(found)
            + ": expected a rule (segment, scoring, qualify, nurture, loyalty, alert),"
            + " a declaration or a header"),
        found, ITEM_START.toList());
  }

  private static boolean startsItem(Token token) {
    return ITEM_START.contains(token.getType());
  }

  private static ParserRuleContext meaningful(ParserRuleContext ctx) {
    ParserRuleContext c = ctx;
    while (c != null
        && (c instanceof RelaisParser.StringContext
            || c instanceof RelaisParser.IdentifierContext
            || c instanceof RelaisParser.AnyNameContext
            || c instanceof RelaisParser.NonReservedContext
            || c instanceof RelaisParser.NumberContext
            || c instanceof RelaisParser.DateContext)) {
      c = c.getParent();
    }
    return c;
  }

  private static String stringNoun(ParserRuleContext owner, Token previous) {
    int type = previous == null ? -1 : previous.getType();
    return switch (type) {
      case SEGMENT -> owner instanceof RuleDeclContext ? "a rule name" : "a segment name";
      case SCORING, QUALIFY, NURTURE, LOYALTY, ALERT -> "a rule name";
      case RULESET -> "a ruleset name";
      case TIMEZONE -> "a time zone name";
      case OWNER -> "an e-mail address";
      case CAMPAIGN, IN, STOP -> "a campaign name";
      case STEP -> "a message name";
      case TIER -> "a tier name";
      case REWARD -> "a reward name";
      case TAG, UNTAG -> "a tag name";
      case SEND, WITH -> "a message template";
      case NOTIFY -> "an address";
      case BECAUSE -> "a reason";
      case MATCHES -> "a pattern";
      default -> "a text";
    };
  }

  private static String nameNoun(ParserRuleContext owner, Token previous) {
    int type = previous == null ? -1 : previous.getType();
    return switch (type) {
      case IS, LAST -> "an event type like page_visit";
      case LPAREN -> owner instanceof RelaisParser.CountContext
          || owner instanceof RelaisParser.SumContext
          ? "an event type like page_visit" : "a name";
      case TO -> "a stage like SQL";
      case VIA -> "a channel (email, slack, sms or webhook)";
      case COLON -> "a type (text, number, boolean, date or datetime)";
      case DEFINE -> "a constant name";
      case EVENT -> "an event name";
      case DOT -> owner instanceof RelaisParser.AttributeDeclContext
          ? "an attribute name" : "a name";
      case LBRACE, COMMA -> "an attribute name";
      default -> "a name";
    };
  }

  private static String numberNoun(ParserRuleContext owner) {
    return owner instanceof DurationContext ? "a duration like 7 days" : "a number";
  }

  private static Token previous(TokenStream tokens, Token found) {
    for (int i = found.getTokenIndex() - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        return t;
      }
    }
    return null;
  }

  private static boolean contains(IntervalSet set, IntervalSet all) {
    return all.subtract(set).isNil();
  }

  private static boolean onlyOf(IntervalSet set, IntervalSet allowed) {
    return !set.isNil() && set.subtract(allowed).isNil();
  }

  private static int rank(int type) {
    if (type == AND) {
      return 2000;
    }
    if (type == END) {
      return 3000;
    }
    for (int i = 0; i < ORDER.length; i++) {
      if (ORDER[i] == type) {
        return i;
      }
    }
    return 100 + type;
  }

  /** {@code `then`}, {@code `(`}: what the author types. */
  static String literal(int type) {
    String name = RelaisLexer.VOCABULARY.getLiteralName(type);
    if (name == null) {
      return RelaisLexer.VOCABULARY.getDisplayName(type).toLowerCase(Locale.ROOT);
    }
    return "`" + name.substring(1, name.length() - 1) + "`";
  }

  static String unexpected(Token found) {
    return "unexpected " + describe(found);
  }

  static String describe(Token token) {
    return switch (token.getType()) {
      case Token.EOF -> "end of file";
      case UNRECOGNIZED -> "character `" + token.getText() + "`";
      case STRING, UNTERMINATED_STRING -> Names.shortened(token.getText());
      default -> "`" + Names.shortened(token.getText()) + "`";
    };
  }

  static String or(List<String> phrases) {
    if (phrases.size() == 1) {
      return phrases.get(0);
    }
    return String.join(", ", phrases.subList(0, phrases.size() - 1))
        + " or " + phrases.get(phrases.size() - 1);
  }

  private static Diagnostic error(io.relais.dsl.source.SourceSpan span, String message) {
    return Diagnostic.error("syntax", span, message);
  }

  /** Adds "did you mean" when the found word is a near miss of a keyword valid here. */
  private static Diagnostic suggest(Diagnostic diagnostic, Token found, List<Integer> keywords) {
    String word = found.getText() == null ? "" : found.getText().toLowerCase(Locale.ROOT);
    if (word.length() > 30) {
      return diagnostic;
    }
    // A keyword is a word the author meant; only unknown words are typos.
    if (found.getType() != IDENT) {
      return diagnostic;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (int type : keywords) {
      String name = RelaisLexer.VOCABULARY.getLiteralName(type);
      if (name == null || !name.matches("'[a-z]+'")) {
        continue;
      }
      String keyword = name.substring(1, name.length() - 1);
      int distance = Suggestions.distance(word, keyword);
      if (distance > 0 && distance < bestDistance) {
        best = keyword;
        bestDistance = distance;
      }
    }
    if (best != null && bestDistance <= Suggestions.tolerance(word)) {
      return diagnostic.withSuggestion(best);
    }
    return diagnostic;
  }
}
