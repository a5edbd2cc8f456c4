package io.relais.engine.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes random rulesets that are well typed by construction, over every construct of the
 * language: declarations, the six kinds with their actions, conditions of every operator,
 * history with {@code where} and {@code within}, globs, templates, and now and then an extreme
 * (thousands of terms, nesting near the budget, the longest durations, huge numbers).
 */
public final class RulesetGenerator {

  private static final String[] STAGES = {"SUBSCRIBER", "LEAD", "MQL", "SQL", "OPPORTUNITY",
      "CUSTOMER", "DISQUALIFIED"};
  private static final String[] NUMBER_FIELDS = {"contact.score", "contact.companySize",
      "contact.age", "contact.points", "contact.recency", "contact.frequency",
      "contact.monetary", "contact.budget"};
  private static final String[] TEXT_FIELDS = {"contact.id", "contact.email",
      "contact.firstName", "contact.country", "contact.owner",
      "contact.industry"};
  private static final String[] UNITS = {"minutes", "hours", "days", "weeks"};
  private static final long[] MAX_AMOUNT = {52_596_000, 876_600, 36_525, 5_217};

  /** How big and how wild the rulesets are. */
  public enum Shape {
    /** One to three rules of shallow conditions, no extreme: most rulesets are like this. */
    SMALL,
    /** Up to eight rules, deeper conditions, now and then an extreme, sometimes a DMN table. */
    MIXED
  }

  /** The number of extreme rulesets {@link #extreme(int)} writes. */
  static final int EXTREMES = 10;

  private final Random random;
  private final Shape shape;
  private final int campaigns;
  private final boolean table;
  private final StringBuilder out = new StringBuilder();

  RulesetGenerator(Random random) {
    this(random, Shape.MIXED);
  }

  public RulesetGenerator(Random random, Shape shape) {
    this.random = random;
    this.shape = shape;
    this.campaigns = 1 + random.nextInt(shape == Shape.SMALL ? 1 : 3);
    this.table = shape == Shape.MIXED && random.nextInt(20) == 0;
  }

  /** Whether the ruleset reads the fit grid: then {@code fit-grid.dmn} must go with it. */
  public boolean readsTable() {
    return table;
  }

  /**
   * Extreme ruleset number {@code which}: each construct at its limit (chains of five
   * thousand terms, nesting at the budget, huge lists, globs and texts, every duration at
   * its longest, a hundred and twenty rules).
   */
  String extreme(int which) {
    declarations();
    String condition = switch (which) {
      case 0 -> chainOf(5_000, " and ");
      case 1 -> chainOf(5_000, " or ");
      case 2 -> "(".repeat(98) + "contact.score > 1" + ")".repeat(98);
      case 3 -> "not ".repeat(98) + "has tag \"VIP\"";
      case 4 -> arithmeticChain(99) + " >= 0";
      case 5 -> "contact.country in [" + String.join(", ",
          java.util.Collections.nCopies(5_000, "\"FR\"")) + "]";
      case 6 -> "contact.email matches \"" + "*a?".repeat(5_000) + "\"";
      case 7 -> "contact.firstName = \"" + "x".repeat(50_000) + "\"";
      case 8 -> "count(page_visit within 52596000 minutes) >= 0 and sum(purchase.amount within"
          + " 5217 weeks) >= 0 and count(webinar where minutes > 1 within 876600 hours) >= 0";
      default -> null;
    };
    if (condition != null) {
      // A segment rule, and an alert for the longest throttle and a template.
      rule("segment", "x-segment", condition);
      rule("alert", "x-alert", condition);
      rule("loyalty", "x-loyalty", "contact.score > 0");
    } else {
      for (int r = 0; r < 120; r++) {
        String kind = KINDS[r % KINDS.length];
        rule(kind, "r" + r, topCondition());
      }
    }
    return out.toString();
  }

  private static final String[] KINDS = {"segment", "scoring", "qualify", "nurture", "loyalty", "alert"};

  private String chainOf(int terms, String operator) {
    List<String> parts = new ArrayList<>(terms);
    for (int i = 0; i < terms; i++) {
      parts.add(condition(1, false));
    }
    return String.join(operator, parts);
  }

  private void rule(String kind, String name, String condition) {
    out.append(kind).append(" \"").append(name).append("\"\nwhen\n  ").append(condition)
        .append("\nthen\n  ").append(action(kind)).append('\n');
    if (kind.equals("alert")) {
      out.append("  notify owner with \"{{contact.score}} {{HOT}}\" at most once per 5217 weeks\n");
    } else if (kind.equals("loyalty")) {
      out.append("  award 1 points expiring in 36525 days\n");
    }
    out.append("end\n");
  }

  public String ruleset() {
    declarations();
    int rules = 1 + random.nextInt(shape == Shape.SMALL ? 3 : 8);
    for (int r = 0; r < rules; r++) {
      String kind = KINDS[random.nextInt(KINDS.length)];
      out.append(kind).append(" \"r").append(r).append("\"\n");
      if (random.nextInt(4) == 0) {
        out.append("  priority ").append(random.nextInt(100)).append('\n');
      }
      if (random.nextInt(6) == 0) {
        out.append("  active from 2026-01-01 until 2026-12-31\n");
      }
      if (random.nextInt(5) != 0) {
        out.append("when\n  ").append(topCondition()).append('\n');
      }
      out.append("then\n");
      int actions = 1 + random.nextInt(3);
      for (int a = 0; a < actions; a++) {
        out.append("  ").append(action(kind)).append('\n');
      }
      out.append("end\n");
    }
    if (shape == Shape.MIXED && random.nextInt(3) == 0) {
      // The triggering event's attributes in a template: the condition guards them.
      out.append("alert \"event\"\nwhen\n  event is page_visit and event.url contains \"x\"\n"
          + "then\n  notify owner with \"{{event.url|-}} {{event.seconds}} {{contact.tier|none}}\"\n"
          + "end\n");
    }
    if (table) {
      out.append("""
          scoring "fit"
          when
            decision "Grade" of "Fit grid" in ["A", "B"] or decision "Fit points" of "Fit grid" > HOT
          then
            add decision "Fit points" of "Fit grid" to score
          end
          alert "fit alert"
          when
            decision "Grade" of "Fit grid" is not empty
          then
            notify owner with "grade {{decision 'Grade' of 'Fit grid'|?}}"
          end
          """);
    }
    return out.toString();
  }

  private void declarations() {
    out.append("ruleset \"fuzz\"\n");
    if (random.nextBoolean()) {
      out.append("timezone \"").append(random.nextBoolean() ? "Europe/Paris" : "Pacific/Kiritimati")
          .append("\"\n");
    }
    if (random.nextBoolean()) {
      out.append("default owner \"sales@acme.fr\"\n");
    }
    out.append("define HOT = ").append(number()).append('\n');
    out.append("define LAUNCH = 2026-01-15\n");
    out.append("attribute contact.industry : text\n");
    out.append("attribute contact.budget : number\n");
    out.append("attribute contact.vip : boolean\n");
    out.append("attribute contact.renewal : date\n");
    out.append("attribute contact.seen : datetime\n");
    out.append("event webinar { title: text, minutes: number }\n");
    for (int c = 0; c < campaigns; c++) {
      out.append("campaign \"c").append(c).append("\"\n");
      int steps = 1 + random.nextInt(3);
      for (int s = 0; s < steps; s++) {
        out.append("  step \"m").append(s).append("\" after ").append(duration()).append('\n');
      }
      if (random.nextBoolean()) {
        out.append("  exit when ").append(condition(3, false)).append('\n');
      }
      out.append("end\n");
    }
    out.append("tier \"Silver\" from ").append(random.nextInt(1000)).append(" points\n");
    out.append("tier \"Gold\" from ").append(1000 + random.nextInt(5000)).append(" points\n");
    out.append("reward \"r0\" costs ").append(random.nextInt(500)).append(" points\n");
    if (table) {
      out.append("table \"Fit grid\" from \"fit-grid.dmn\"\n  input \"Industry\" = contact.industry\n"
          + "  input \"Employees\" = contact.companySize\nend\n");
    }
  }

  private String topCondition() {
    if (shape == Shape.SMALL) {
      return condition(2, true);
    }
    return switch (random.nextInt(40)) {
      case 0 -> chain(2_000 + random.nextInt(3_000));
      case 1 -> "(".repeat(90) + condition(1, false) + ")".repeat(90);
      case 2 -> "not ".repeat(1 + random.nextInt(90)) + condition(1, false);
      case 3 -> arithmeticChain(1 + random.nextInt(95)) + " >= 0";
      case 4 -> "contact.country in [" + String.join(", ",
          java.util.Collections.nCopies(1 + random.nextInt(3_000), text())) + "]";
      default -> condition(4, true);
    };
  }

  private String chain(int terms) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < terms; i++) {
      parts.add(condition(1, false));
    }
    return String.join(random.nextBoolean() ? " and " : " or ", parts);
  }

  private String arithmeticChain(int operators) {
    StringBuilder s = new StringBuilder(numberValue(0));
    for (int i = 0; i < operators; i++) {
      s.append(" ").append("+-*/".charAt(random.nextInt(4))).append(" ").append(numberValue(0));
    }
    return s.toString();
  }

  /** A boolean condition; with {@code events}, it may read the triggering event's attributes. */
  private String condition(int depth, boolean events) {
    int choice = random.nextInt(depth <= 0 ? 18 : 22);
    return switch (choice) {
      case 14 -> "contact.tier " + (random.nextBoolean() ? "= \"Gold\"" : "in [\"Silver\", \"\"]");
      case 15 -> List.of("event.type = \"purchase\"", "event.at > 2026-01-01",
          "event.id is not empty").get(random.nextInt(3));
      case 16 -> "count(purchase where amount > " + number() + " and currency = \"EUR\"" + within()
          + ") " + compare() + " " + numberValue(0);
      case 0 -> numberValue(depth - 1) + " " + compare() + " " + numberValue(depth - 1);
      case 1 -> textValue() + " " + (random.nextBoolean() ? "=" : "!=") + " " + text();
      case 2 -> textValue() + " contains " + text();
      case 3 -> textValue() + " matches " + glob();
      case 4 -> (random.nextBoolean() ? textValue() : numberValue(0))
          + (random.nextBoolean() ? " is empty" : " is not empty");
      case 5 -> numberValue(depth - 1) + " between " + numberValue(0) + " and " + numberValue(0);
      case 6 -> textValue() + (random.nextBoolean() ? " in [" : " not in [") + text() + ", "
          + text() + "]";
      case 7 -> "has tag \"" + tag() + "\"";
      case 8 -> "in segment \"" + (random.nextBoolean() ? "VIP" : "S1") + "\"";
      case 9 -> "contact.stage " + compare() + " " + STAGES[random.nextInt(STAGES.length)];
      case 10 -> random.nextBoolean() ? "contact.isBirthday" : "contact.vip = true";
      case 11 -> (random.nextBoolean() ? "contact.renewal" : "contact.birthDate") + " "
          + compare() + " " + (random.nextBoolean() ? "LAUNCH" : "2026-11-22");
      case 12 -> "contact.seen " + compare() + " 2026-11-01";
      case 13 -> events ? eventCondition() : "event is " + eventType();
      case 18 -> "not " + condition(depth - 1, false);
      case 17 -> "sum(purchase.amount where items >= 2" + within() + ") > " + number();
      case 19 -> "(" + condition(depth - 1, events) + " or " + condition(depth - 1, events) + ")";
      case 20 -> condition(depth - 1, events) + " and " + condition(depth - 1, events);
      default -> "(" + condition(depth - 1, false) + ")";
    };
  }

  private String eventCondition() {
    return switch (random.nextInt(5)) {
      case 0 -> "event is page_visit and event.url matches " + glob()
          + " and event.seconds > " + number();
      case 1 -> "event is purchase and event.amount " + compare() + " " + numberValue(1);
      case 2 -> "event is webinar and event.minutes >= 10 and event.title contains " + text();
      case 3 -> "(event is email_open or event is email_click) and event.campaign = " + text();
      default -> "event is cart_update and event.value / event.items > " + number();
    };
  }

  private String numberValue(int depth) {
    int choice = random.nextInt(depth <= 0 ? 8 : 10);
    return switch (choice) {
      case 0 -> number();
      case 1, 2 -> NUMBER_FIELDS[random.nextInt(NUMBER_FIELDS.length)];
      case 3 -> "tag \"" + tag() + "\"";
      case 4 -> "count(" + eventType() + history() + ")";
      case 5 -> "sum(" + (random.nextBoolean() ? "purchase.amount" : "webinar.minutes")
          + history() + ")";
      case 6 -> "days since last " + eventType();
      case 7 -> "HOT";
      case 8 -> "(" + numberValue(depth - 1) + " " + "+-*/".charAt(random.nextInt(4)) + " "
          + numberValue(depth - 1) + ")";
      default -> numberValue(depth - 1) + " * " + number();
    };
  }

  // A `where` reads bare attributes of the counted type; only the common ones are used here,
  // with a type-agnostic test, so any event type is fine.
  private String history() {
    StringBuilder s = new StringBuilder();
    if (random.nextInt(3) == 0) {
      s.append(" where at >= 2026-01-01");
    }
    if (random.nextBoolean()) {
      s.append(" within ").append(duration());
    }
    return s.toString();
  }

  private String within() {
    return random.nextBoolean() ? " within " + duration() : "";
  }

  private String textValue() {
    return TEXT_FIELDS[random.nextInt(TEXT_FIELDS.length)];
  }

  private String action(String kind) {
    return switch (kind) {
      case "segment" -> switch (random.nextInt(4)) {
        case 0 -> "tag \"" + tag() + "\"" + (random.nextBoolean() ? " by " + numberValue(1) : "");
        case 1 -> "untag \"" + tag() + "\"";
        case 2 -> "add to segment \"VIP\"";
        default -> "remove from segment \"S1\"";
      };
      case "scoring" -> switch (random.nextInt(3)) {
        case 0 -> "add " + numberValue(1) + " to score";
        case 1 -> "subtract " + numberValue(1) + " from score";
        default -> "set score to " + numberValue(1);
      };
      case "qualify" -> switch (random.nextInt(3)) {
        case 0 -> "set stage to " + STAGES[random.nextInt(STAGES.length)];
        case 1 -> "advance stage to " + STAGES[random.nextInt(STAGES.length - 1)];
        default -> "disqualify because " + text();
      };
      case "nurture" -> switch (random.nextInt(3)) {
        case 0 -> "enroll in \"c" + random.nextInt(campaigns) + "\"";
        case 1 -> "stop \"c" + random.nextInt(campaigns) + "\"";
        default -> "send " + template();
      };
      case "loyalty" -> switch (random.nextInt(4)) {
        case 0 -> "award " + numberValue(1) + " points"
            + (random.nextBoolean() ? " expiring in " + duration() : "")
            + (random.nextBoolean() ? " because " + text() : "");
        case 1 -> "deduct " + numberValue(1) + " points";
        case 2 -> "grant reward \"r0\"";
        default -> "send " + template();
      };
      default -> "notify " + (random.nextBoolean() ? "owner" : "\"team@acme.fr\"")
          + (random.nextBoolean() ? " via " + List.of("email", "slack", "sms", "webhook")
              .get(random.nextInt(4)) : "")
          + " with " + template()
          + (random.nextBoolean() ? " at most once per " + duration() : "");
    };
  }

  private String template() {
    return switch (random.nextInt(4)) {
      case 0 -> "\"{{contact.firstName|Salut}} {{contact.budget}} {{contact.renewal}}\"";
      case 1 -> "\"hello {{contact.score}} {{contact.stage}} {{HOT}} {{contact.tier|none}}\"";
      case 2 -> "\"plain \\u00e9 \\\" text\"";
      default -> "\"{{contact.email}}\"";
    };
  }

  private String duration() {
    int unit = random.nextInt(UNITS.length);
    long amount = random.nextInt(10) == 0 ? MAX_AMOUNT[unit] : random.nextInt(400);
    return amount + " " + UNITS[unit];
  }

  private String number() {
    return switch (random.nextInt(8)) {
      case 0 -> "9".repeat(1 + random.nextInt(30));
      case 1 -> "-" + random.nextInt(1000);
      case 2 -> random.nextInt(100) + "." + random.nextInt(100);
      case 3 -> "0";
      default -> String.valueOf(random.nextInt(3000));
    };
  }

  private String text() {
    return switch (random.nextInt(6)) {
      case 0 -> "\"\"";
      case 1 -> "\"\\\"quoted\\\" \\\\ \\u00e9\"";
      case 2 -> "\"FR\"";
      case 3 -> "\"" + "x".repeat(random.nextInt(200)) + "\"";
      default -> "\"v" + random.nextInt(10) + "\"";
    };
  }

  private String glob() {
    StringBuilder g = new StringBuilder("\"");
    int n = random.nextInt(10) == 0 ? 2_000 : random.nextInt(12);
    for (int i = 0; i < n; i++) {
      g.append(switch (random.nextInt(7)) {
        case 0 -> "*";
        case 1 -> "**";
        case 2 -> "?";
        case 3 -> "/";
        default -> "a";
      });
    }
    return g.append('"').toString();
  }

  private String tag() {
    return random.nextBoolean() ? "VIP" : "T" + random.nextInt(4);
  }

  private String eventType() {
    return List.of("page_visit", "purchase", "email_open", "webinar", "daily")
        .get(random.nextInt(5));
  }

  private String compare() {
    return List.of("=", "!=", "<", "<=", ">", ">=", "is", "is not").get(random.nextInt(8));
  }
}
