package io.relais.dsl.language;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line about each word of the language, and its form where it starts a construct, for
 * completion and hover (docs/language.md says the same at length). A keyword missing here is
 * still completed, without documentation; {@code KeywordDocsTest} keeps the list whole.
 */
final class KeywordDocs {

  /** A keyword's form ({@code count(TYPE [where COND] [within DURATION])}) and what it does. */
  record Doc(String form, String text) {}

  private static final Map<String, Doc> DOCS = docs();

  private KeywordDocs() {}

  static Optional<Doc> of(String keyword) {
    return Optional.ofNullable(DOCS.get(keyword));
  }

  private static Map<String, Doc> docs() {
    Map<String, Doc> d = new HashMap<>();
    // Items.
    put(d, "ruleset", "ruleset \"name\"", "names the ruleset (else the folder's name)");
    put(d, "timezone", "timezone \"Europe/Paris\"", "the zone of every date and calendar notion");
    put(d, "default", "default owner \"address\"", "who gets `notify owner` for contacts without an owner");
    put(d, "attribute", "attribute contact.NAME : TYPE", "declares a contact attribute");
    put(d, "define", "define NAME = VALUE", "a named constant");
    put(d, "campaign", "campaign \"name\" step ... end", "a nurturing campaign: message steps and an exit condition");
    put(d, "tier", "tier \"name\" from N points [earned within DURATION]", "a loyalty tier reached from N points of the balance, or earned in a window");
    put(d, "reward", "reward \"name\" costs N points", "a reward that costs N points; `grant reward \"name\"`");
    put(d, "table", "table \"name\" from \"file.dmn\" input ... end", "a DMN decision table of the ruleset");
    put(d, "segment", "segment \"name\" when ... then ... end", "a segment rule (phase 1): tags and segments; `in segment \"S\"`");
    put(d, "scoring", "scoring \"name\" when ... then ... end", "a scoring rule (phase 2): add, subtract or set the score");
    put(d, "qualify", "qualify \"name\" when ... then ... end", "a qualify rule (phase 3): set or advance the stage, disqualify");
    put(d, "nurture", "nurture \"name\" when ... then ... end", "a nurture rule (phase 4): enroll in and stop campaigns, send");
    put(d, "loyalty", "loyalty \"name\" when ... then ... end", "a loyalty rule (phase 5): award and deduct points, grant rewards, send");
    put(d, "alert", "alert \"name\" when ... then ... end", "an alert rule (phase 6): notify someone");
    put(d, "event", "event is TYPE, event.ATTR", "the triggering event (`event NAME { attr: type }` declares an event type)");
    // Rule parts.
    put(d, "priority", "priority N", "higher runs first within the phase; 0, the default, is the lowest");
    put(d, "active", "active from DATE", "the first day the rule is active (inclusive)");
    put(d, "until", "until DATE", "the last day the rule is active (inclusive)");
    put(d, "when", "when CONDITION", "the condition; without it the rule always applies");
    put(d, "then", "then ACTION...", "the actions of the rule");
    put(d, "end", "end", "closes a rule, a campaign or a table");
    put(d, "because", "because \"reason\"", "the reason recorded with the action's decision");
    put(d, "step", "step \"message\" after DURATION", "a message the campaign sends after a delay");
    put(d, "exit", "exit when CONDITION", "leaves the campaign when the condition holds");
    put(d, "input", "input \"Name\" = VALUE", "what one input of the DMN model reads");
    // Conditions.
    put(d, "contact", "contact.FIELD", "a field of the contact");
    put(d, "and", "A and B", "both hold");
    put(d, "or", "A or B", "either holds");
    put(d, "not", "not A", "A does not hold (`not in [...]` too)");
    put(d, "is", "A is B, A is not B, A is empty, event is TYPE", "equality, emptiness, the event's type");
    put(d, "empty", "A is empty", "the value is missing or the empty text");
    put(d, "between", "A between L and H", "L <= A <= H, inclusive");
    put(d, "in", "A in [x, y], in segment \"S\", enroll in \"C\"", "list membership, segment membership");
    put(d, "contains", "A contains \"x\"", "the text contains x, ignoring case");
    put(d, "matches", "A matches \"glob\"", "the whole text matches the glob (* no slash, ** anything, ? one character)");
    put(d, "has", "has tag \"X\"", "the contact has the tag (its count is at least 1)");
    put(d, "tag", "tag \"X\" (a number), tag \"X\" [by N] (an action)", "a tag's count (0 if absent); as an action, adds to it");
    put(d, "count", "count(TYPE [where COND] [within DURATION])", "how many such events the contact has, the triggering one included");
    put(d, "sum", "sum(TYPE.ATTR [where COND] [within DURATION])", "the sum of a number attribute over such events");
    put(d, "days", "days since last TYPE, N days", "whole days since the last such event (empty if none); a duration");
    put(d, "since", "days since last TYPE", "whole days since the last such event; empty if none");
    put(d, "last", "days since last TYPE", "whole days since the last such event; empty if none");
    put(d, "where", "where CONDITION", "which events count; bare names are the counted event's attributes");
    put(d, "within", "within DURATION", "only events of that last stretch of time");
    put(d, "decision", "decision \"D\" of \"T\"", "a decision of a declared DMN table");
    put(d, "of", "decision \"D\" of \"T\"", "the table the decision comes from");
    put(d, "true", "true", "the boolean true");
    put(d, "false", "false", "the boolean false");
    // Actions.
    put(d, "untag", "untag \"X\"", "removes the tag (segment rules)");
    put(d, "add", "add to segment \"S\" | add N to score", "joins a segment (segment rules); raises the score (scoring rules)");
    put(d, "remove", "remove from segment \"S\"", "leaves a segment (segment rules)");
    put(d, "subtract", "subtract N from score", "lowers the score (scoring rules)");
    put(d, "set", "set score to N | set stage to STAGE", "sets the score (scoring) or the stage (qualify)");
    put(d, "advance", "advance stage to STAGE", "moves the stage forward only (qualify rules)");
    put(d, "disqualify", "disqualify", "sets the stage to DISQUALIFIED (qualify rules)");
    put(d, "enroll", "enroll in \"campaign\"", "starts a campaign for the contact (nurture rules)");
    put(d, "stop", "stop \"campaign\"", "ends a campaign for the contact (nurture rules)");
    put(d, "send", "send \"message\"", "sends a message template (nurture and loyalty rules)");
    put(d, "award", "award N points [expiring in DURATION]", "adds loyalty points (loyalty rules)");
    put(d, "deduct", "deduct N points", "takes loyalty points back, never below 0 (loyalty rules)");
    put(d, "grant", "grant reward \"R\"", "redeems a reward for its cost (loyalty rules)");
    put(d, "notify", "notify owner|\"address\" [via CHANNEL] with \"template\" [at most once per DURATION]", "an alert (alert rules)");
    put(d, "score", "add N to score, set score to N", "the contact score");
    put(d, "stage", "set stage to STAGE", "the funnel stage");
    put(d, "points", "N points", "loyalty points");
    put(d, "expiring", "expiring in DURATION", "when awarded points expire");
    put(d, "earned", "tier \"X\" from N points earned within DURATION",
        "bases tiers on the points earned in the window, whatever was spent or expired since");
    put(d, "owner", "notify owner", "the contact's owner (or the default owner)");
    put(d, "via", "via email|slack|sms|webhook", "the alert's channel; a message's (email or sms); email if none");
    put(d, "with", "with \"template\"", "the alert's message");
    for (String word : new String[] {"at", "most", "once", "per"}) {
      put(d, word, "at most once per DURATION, at most N messages per DURATION",
          "throttles an alert per contact; caps marketing messages per contact");
    }
    put(d, "quiet", "quiet hours HH:MM to HH:MM", "marketing messages decided between them wait until the end, in the contact's local time");
    put(d, "message", "at most 1 message per DURATION [via sms]", "a frequency cap over every campaign and send");
    put(d, "messages", "at most N messages per DURATION [via sms]", "a frequency cap over every campaign and send");
    put(d, "to", "add to segment, add N to score, set ... to", "the target of an action");
    put(d, "from", "from N points, from DATE, from \"file.dmn\", remove from segment", "where something starts or comes from");
    put(d, "by", "tag \"X\" by N", "how much to add to a tag's count");
    put(d, "costs", "reward \"R\" costs N points", "what a reward costs");
    put(d, "after", "step \"message\" after DURATION", "the delay before a step");
    for (String unit : new String[] {"minute", "minutes", "hour", "hours", "day", "week", "weeks"}) {
      put(d, unit, "N " + unit, "a duration");
    }
    return Map.copyOf(d);
  }

  private static void put(Map<String, Doc> d, String keyword, String form, String text) {
    d.put(keyword, new Doc(form, text));
  }
}
