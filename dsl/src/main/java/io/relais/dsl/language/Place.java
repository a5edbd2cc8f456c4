package io.relais.dsl.language;

import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.Lexeme;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What sort of name goes at a position, read from the tokens of the item before it: a
 * contact field after {@code contact.}, an event type after {@code event is}, a campaign in
 * {@code enroll in "..."}. Completion, hover and definition share it.
 *
 * @param prefix for a contact field, the segments already written ({@code consent.})
 * @param qualifier the event type of {@code sum(T.}, the event type counted by the enclosing
 *     {@code count/sum(... where}, the table of a decision or an input; null if none
 * @param guards for {@code event.}, the event types the condition establishes
 *     ({@code event is T} earlier in the same {@code and} chain)
 */
record Place(Slot slot, String prefix, String qualifier, Set<String> guards) {

  /** The sorts of names. */
  enum Slot {
    CONTACT_FIELD,
    EVENT_ATTRIBUTE,
    EVENT_TYPE,
    SUM_ATTRIBUTE,
    /** Where a value goes: a define, a stage, a counted event's attribute, a function. */
    VALUE,
    STAGE,
    TYPE,
    CHANNEL,
    TAG,
    SEGMENT,
    CAMPAIGN,
    REWARD,
    MESSAGE,
    TABLE,
    DECISION,
    DMN_FILE,
    INPUT,
    TIER,
    TIMEZONE,
    /** The name of something being declared: nothing to offer. */
    NEW_NAME,
    NONE;

    /** Whether the name is written in quotes. */
    boolean quoted() {
      return compareTo(TAG) >= 0 && compareTo(TIMEZONE) <= 0;
    }
  }

  private static Place of(Slot slot) {
    return new Place(slot, "", null, Set.of());
  }

  private static final Set<String> ITEM_NAMES = Set.of("campaign", "tier", "reward", "table",
      "segment", "scoring", "qualify", "nurture", "loyalty", "alert", "define", "ruleset", "event");

  /** The place of the word at {@code context} (or of what is written next). */
  static Place of(CursorContext context) {
    List<Lexeme> b = context.before();
    int n = b.size();
    if (n > 0 && b.get(n - 1).is(".")) {
      return dotted(b);
    }
    if (keyword(b, n - 1, "is") && keyword(b, n - 2, "event")) {
      return of(Slot.EVENT_TYPE);
    }
    if (keyword(b, n - 1, "(") && (keyword(b, n - 2, "count") || keyword(b, n - 2, "sum"))) {
      return of(Slot.EVENT_TYPE);
    }
    if (keyword(b, n - 1, "last") && keyword(b, n - 2, "since") && keyword(b, n - 3, "days")) {
      return of(Slot.EVENT_TYPE);
    }
    if (keyword(b, n - 1, "to") && keyword(b, n - 2, "stage")) {
      return of(Slot.STAGE);
    }
    if (keyword(b, n - 1, ":") && n > 0 && (b.get(0).is("attribute") || b.get(0).is("event"))) {
      return of(Slot.TYPE);
    }
    if (keyword(b, n - 1, "via")) {
      return of(Slot.CHANNEL);
    }
    Slot quoted = quotedSlot(b);
    if (quoted == Slot.DECISION) {
      List<Lexeme> a = context.after();
      String table = a.size() > 1 && a.get(0).is("of") && a.get(1).isString()
          ? a.get(1).value() : null;
      return new Place(Slot.DECISION, "", table, Set.of());
    }
    if (quoted == Slot.INPUT) {
      return new Place(Slot.INPUT, "", b.get(1).value(), Set.of());
    }
    if (quoted != Slot.NONE) {
      return of(quoted);
    }
    if (n == 1 && ITEM_NAMES.contains(b.get(0).word())) {
      return of(Slot.NEW_NAME);
    }
    if (context.value()) {
      return new Place(Slot.VALUE, "", counted(b), Set.of());
    }
    return of(Slot.NONE);
  }

  /**
   * The sort of quoted name that goes after {@code b}: {@code tag "...", enroll in "..."}; NONE
   * where no known sort of name goes in quotes.
   */
  static Slot quotedSlot(List<Lexeme> b) {
    int n = b.size();
    if (keyword(b, n - 1, "tag") || keyword(b, n - 1, "untag")) {
      return Slot.TAG;
    }
    if (keyword(b, n - 1, "segment")
        && (keyword(b, n - 2, "to") || keyword(b, n - 2, "from") || keyword(b, n - 2, "in"))) {
      return Slot.SEGMENT;
    }
    if (keyword(b, n - 1, "in") && keyword(b, n - 2, "enroll") || keyword(b, n - 1, "stop")) {
      return Slot.CAMPAIGN;
    }
    if (keyword(b, n - 1, "reward") && keyword(b, n - 2, "grant")) {
      return Slot.REWARD;
    }
    if (keyword(b, n - 1, "send") || keyword(b, n - 1, "step")) {
      return Slot.MESSAGE;
    }
    if (keyword(b, n - 1, "decision")) {
      return Slot.DECISION;
    }
    if (keyword(b, n - 1, "of") && n >= 3 && b.get(n - 2).isString()
        && keyword(b, n - 3, "decision")) {
      return Slot.TABLE;
    }
    if (keyword(b, n - 1, "from") && n == 3 && b.get(0).is("table")) {
      return Slot.DMN_FILE;
    }
    if (keyword(b, n - 1, "input") && n >= 2 && b.get(0).is("table") && b.get(1).isString()) {
      return Slot.INPUT;
    }
    if (keyword(b, n - 1, "timezone") && n == 1) {
      return Slot.TIMEZONE;
    }
    return tierValue(b) ? Slot.TIER : Slot.NONE;
  }

  /**
   * Whether {@code b} ends where {@code contact.tier} is compared with a text: after
   * {@code = != is}, {@code is not}, or inside {@code in [...]}.
   */
  private static boolean tierValue(List<Lexeme> b) {
    int i = b.size() - 1;
    if (keyword(b, i, "[") || keyword(b, i, ",")) {
      while (i >= 0 && !keyword(b, i, "[")) {
        i--;
      }
      i--;
      if (!keyword(b, i, "in")) {
        return false;
      }
      i -= keyword(b, i - 1, "not") ? 2 : 1;
    } else if (keyword(b, i, "=") || keyword(b, i, "!=")) {
      i--;
    } else if (keyword(b, i, "is")) {
      i--;
    } else if (keyword(b, i, "not") && keyword(b, i - 1, "is")) {
      i -= 2;
    } else {
      return false;
    }
    return i >= 2 && b.get(i).isWord() && b.get(i).text().equals("tier") && b.get(i - 1).is(".")
        && b.get(i - 2).is("contact") && (i < 3 || !b.get(i - 3).is("."));
  }

  /** After a dot: {@code contact.}, {@code contact.consent.}, {@code event.}, {@code sum(T.}. */
  private static Place dotted(List<Lexeme> b) {
    int i = b.size() - 1; // the dot
    List<String> segments = new ArrayList<>();
    while (i >= 1 && b.get(i).is(".") && b.get(i - 1).isWord()) {
      segments.add(0, b.get(i - 1).text());
      i -= 2;
    }
    if (segments.isEmpty()) {
      return of(Slot.NONE);
    }
    int root = i + 1; // index of the first segment
    String first = segments.get(0);
    boolean afterDot = root > 0 && b.get(root - 1).is(".");
    if (afterDot) {
      return of(Slot.NONE);
    }
    if (first.equalsIgnoreCase("contact")) {
      if (root > 0 && b.get(root - 1).is("attribute")) {
        return of(Slot.NEW_NAME);
      }
      String prefix = String.join(".", segments.subList(1, segments.size()));
      return new Place(Slot.CONTACT_FIELD, prefix.isEmpty() ? "" : prefix + ".", null, Set.of());
    }
    if (first.equalsIgnoreCase("event") && segments.size() == 1) {
      return new Place(Slot.EVENT_ATTRIBUTE, "", null, guards(b));
    }
    if (segments.size() == 1 && keyword(b, root - 1, "(") && keyword(b, root - 2, "sum")) {
      return new Place(Slot.SUM_ATTRIBUTE, "", first, Set.of());
    }
    return of(Slot.NONE);
  }

  /**
   * Whether token {@code i} is the keyword or symbol {@code word}, and not a name after a dot
   * ({@code event.tag} names an attribute).
   */
  static boolean keyword(List<Lexeme> b, int i, String word) {
    return i >= 0 && i < b.size() && b.get(i).is(word) && (i == 0 || !b.get(i - 1).is("."));
  }

  /**
   * The event types the condition guarantees at the end of {@code b}, as the checker reads
   * them: {@code event is T} earlier in the same {@code and} chain, or in every alternative of
   * a parenthesised {@code or}; in the actions, what the whole condition guarantees.
   */
  static Set<String> guards(List<Lexeme> b) {
    int when = -1;
    int then = -1;
    for (int i = 0; i < b.size(); i++) {
      if (keyword(b, i, "when")) {
        when = i;
        then = -1;
      } else if (keyword(b, i, "then") && when >= 0) {
        then = i;
      }
    }
    if (when < 0) {
      return Set.of();
    }
    Deque<Group> groups = new ArrayDeque<>();
    groups.push(new Group());
    int end = then >= 0 ? then : b.size();
    for (int i = when + 1; i < end; i++) {
      Group top = groups.peek();
      if (keyword(b, i, "(")) {
        groups.push(new Group());
      } else if (keyword(b, i, ")") && groups.size() > 1) {
        Set<String> established = groups.pop().established();
        if (!established.isEmpty()) {
          groups.peek().narrow(established);
        }
      } else if (keyword(b, i, "or")) {
        top.or();
      } else if (keyword(b, i, "event") && keyword(b, i + 1, "is") && i + 2 < end
          && b.get(i + 2).isWord()) {
        top.narrow(Set.of(b.get(i + 2).text()));
      }
    }
    if (then >= 0) {
      while (groups.size() > 1) {
        groups.pop();
      }
      return groups.peek().established();
    }
    for (Group g : groups) {
      if (!g.current.isEmpty()) {
        return g.current;
      }
    }
    return Set.of();
  }

  /** One parenthesised level of a condition: its current {@code and} chain, its alternatives. */
  private static final class Group {
    Set<String> current = new LinkedHashSet<>();
    /** The union of the guards of the finished alternatives; null when one had none. */
    Set<String> alternatives = new LinkedHashSet<>();
    boolean sawOr;

    void narrow(Set<String> types) {
      Set<String> meet = new LinkedHashSet<>(current);
      meet.retainAll(types);
      current = current.isEmpty() || meet.isEmpty() ? new LinkedHashSet<>(types) : meet;
    }

    void or() {
      sawOr = true;
      if (current.isEmpty() || alternatives == null) {
        alternatives = null;
      } else {
        alternatives.addAll(current);
      }
      current = new LinkedHashSet<>();
    }

    Set<String> established() {
      if (!sawOr) {
        return current;
      }
      if (alternatives == null || current.isEmpty()) {
        return Set.of();
      }
      Set<String> all = new LinkedHashSet<>(alternatives);
      all.addAll(current);
      return all;
    }
  }

  /** The event type counted by the innermost {@code count(T ... where} or {@code sum(T.a ... where}. */
  private static String counted(List<Lexeme> b) {
    Deque<String[]> frames = new ArrayDeque<>(); // {type or null, "where" once seen}
    for (int i = 0; i < b.size(); i++) {
      if (keyword(b, i, "(")) {
        boolean history = keyword(b, i - 1, "count") || keyword(b, i - 1, "sum");
        String type = history && i + 1 < b.size() ? b.get(i + 1).text() : null;
        frames.push(new String[] {type, null});
      } else if (keyword(b, i, ")") && !frames.isEmpty()) {
        frames.pop();
      } else if (keyword(b, i, "where") && !frames.isEmpty()) {
        frames.peek()[1] = "where";
      }
    }
    for (String[] frame : frames) {
      if (frame[0] != null) {
        return frame[1] != null ? frame[0] : null;
      }
    }
    return null;
  }
}
