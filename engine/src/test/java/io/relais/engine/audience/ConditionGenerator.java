package io.relais.engine.audience;

import java.util.List;
import java.util.Random;

/**
 * Random conditions over what the push-down supports, biased to the edges: empty and missing
 * text, case, DISQUALIFIED, tags a contact lacks, decimals against integer fields, {@code not};
 * declared attributes of every pushable type over values of the wrong type, text equality on
 * lower-cased fields, arithmetic (roundings, division by zero) and fields compared with fields.
 */
final class ConditionGenerator {

  private static final List<String> STAGES =
      List.of("SUBSCRIBER", "LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER", "DISQUALIFIED");
  private static final List<String> OPS = List.of("=", "!=", "<", "<=", ">", ">=", "is", "is not");
  private static final List<String> TEXT_FIELDS =
      List.of("contact.firstName", "contact.company", "contact.city", "contact.country",
          "contact.lastName", "contact.id");
  private static final List<String> TEXTS =
      List.of("\"Jean\"", "\"jean\"", "\"\"", "\"Paris\"", "\"FR\"", "\"Acme\"", "\"Gold\"", "\"Émile\"", "\"M\"",
          "\"c-00000100\"");
  private static final List<String> NEEDLES = List.of("\"ac\"", "\"ACME\"", "\"\"", "\"ris\"", "\"e\"", "\"é\"", "\"*\"");
  private static final List<String> GLOBS =
      List.of("\"Pa*\"", "\"Paris/*\"", "\"P?u\"", "\"**\"", "\"*s\"", "\"\"", "\"Ly.n\"");
  private static final List<String> TAGS = List.of("FINANCING_LEASING", "NEWSLETTER", "VIP_INTEREST", "NEVER_SET");
  private static final List<String> INDUSTRIES =
      List.of("\"finance\"", "\"Finance\"", "\"\"", "\"12\"", "\"12.5\"", "\"true\"", "\"cars\"");
  private static final List<String> ADDRESSES = List.of("\"marc@acme.fr\"", "\"Julie@Acme.fr\"",
      "\"julie@acme.fr\"", "\"Jean.4@Example.com\"", "\"jean.4@example.com\"", "\"Marie.10@example.org\"", "\"\"");

  private final Random random;

  ConditionGenerator(Random random) {
    this.random = random;
  }

  String condition(int depth) {
    if (depth <= 0 || random.nextInt(3) == 0) {
      return atom();
    }
    return switch (random.nextInt(4)) {
      case 0 -> condition(depth - 1) + " and " + condition(depth - 1);
      case 1 -> condition(depth - 1) + " or " + condition(depth - 1);
      case 2 -> "not (" + condition(depth - 1) + ")";
      default -> "(" + condition(depth - 1) + " or " + condition(depth - 1) + ") and " + condition(depth - 1);
    };
  }

  private String atom() {
    return switch (random.nextInt(34)) {
      case 23 -> "contact.industry " + pick(List.of("=", "!=")) + " " + pick(INDUSTRIES);
      case 24 -> "contact.industry" + pick(List.of(" is empty", " is not empty", " contains \"fin\"",
          " matches \"f*\"", " in [\"finance\", \"\"]", " not in [\"cars\", \"12\"]"));
      case 25 -> "contact.budget " + op() + " " + number();
      case 26 -> pick(List.of("contact.vip", "contact.vip = true", "contact.vip != false", "contact.vip is empty",
          "not contact.vip", "contact.budget is empty", "contact.budget in [12, 12.5, 100]"));
      case 27 -> pick(List.of("contact.email", "contact.owner")) + " " + pick(List.of("=", "!="))
          + " " + pick(ADDRESSES);
      case 28 -> pick(List.of("contact.email", "contact.owner")) + pick(List.of(" in [" + pick(ADDRESSES)
          + ", " + pick(ADDRESSES) + "]", " matches \"*@Acme.fr\"", " matches \"*.4@*\"", " is empty"));
      case 29 -> "contact.score * " + (random.nextInt(7) - 3) + " + " + (random.nextInt(21) - 10) + " " + op()
          + " " + number();
      case 30 -> pick(List.of("contact.companySize / 3", "contact.companySize / -7", "100 - contact.score",
          "(contact.score - 5) * 0.1", "contact.companySize / 0", "contact.score / 3 * 3")) + " " + op() + " "
          + number();
      case 31 -> pick(List.of("contact.score * 2 in [10, 20, 31]", "contact.companySize / 4 not in [25, 2.5]",
          "contact.score + 1 is empty", "contact.companySize * 2 is not empty", "contact.companySize / 0 is empty",
          "contact.score * 2 between 10 and 61"));
      case 32 -> pick(List.of("contact.consent.email", "contact.vip")) + pick(List.of(" = ", " != "))
          + pick(List.of("contact.consent.sms", "contact.consent.email", "contact.vip"));
      case 33 -> pick(List.of("contact.stage " + op() + " contact.stage", "contact.score " + op() + " contact.score",
          "contact.firstName " + pick(List.of("=", "!=")) + " contact.firstName",
          "contact.lastActivityAt " + op() + " contact.lastActivityAt"));
      case 0 -> "contact.score " + op() + " " + number();
      case 1 -> number() + " " + op() + " contact.score";
      case 2 -> "contact.companySize " + op() + " " + number();
      case 3 -> "contact.companySize between " + number() + " and " + (random.nextInt(900) + 100);
      case 4 -> pick(TEXT_FIELDS) + " " + pick(List.of("=", "!=", "is", "is not")) + " " + pick(TEXTS);
      case 5 -> pick(TEXT_FIELDS) + (random.nextBoolean() ? " in " : " not in ") + "[" + pick(TEXTS) + ", "
          + pick(TEXTS) + "]";
      case 6 -> pick(TEXT_FIELDS) + (random.nextBoolean() ? " is empty" : " is not empty");
      case 7 -> pick(List.of("contact.company", "contact.email", "contact.owner", "contact.city")) + " contains "
          + pick(NEEDLES);
      case 8 -> pick(List.of("contact.city", "contact.company")) + " matches " + pick(GLOBS);
      case 9 -> "contact.stage " + op() + " " + pick(STAGES);
      case 10 -> "contact.stage between " + pick(STAGES) + " and " + pick(STAGES);
      case 11 -> "contact.stage " + (random.nextBoolean() ? "in" : "not in") + " [" + pick(STAGES) + ", "
          + pick(STAGES) + "]";
      case 12 -> "tag \"" + pick(TAGS) + "\" " + op() + " " + (random.nextInt(7) - 1);
      case 13 -> "has tag \"" + pick(TAGS) + "\"";
      case 14 -> "in segment \"" + pick(List.of("VIP", "NEWS", "NONE")) + "\"";
      case 15 -> pick(List.of("contact.consent.email", "contact.consent.sms"))
          + pick(List.of("", " = true", " = false", " != true", " is empty", " is not empty"));
      case 16 -> "contact.birthDate " + op() + " " + pick(List.of("1990-01-01", "1968-02-29", "2000-12-31"));
      case 17 -> pick(List.of("contact.createdAt", "contact.lastActivityAt")) + " " + op() + " "
          + pick(List.of("2025-06-01", "2024-01-01", "2026-03-29"));
      case 18 -> "HOT " + op() + " contact.score";
      case 19 -> "tag \"" + pick(TAGS) + "\"" + (random.nextBoolean() ? " in " : " not in ") + "[0, "
          + (random.nextInt(5) + 1) + "]";
      case 20 -> "tag \"" + pick(TAGS) + "\" between " + random.nextInt(3) + " and " + (random.nextInt(4) + 1);
      case 21 -> pick(List.of("contact.tier = \"Gold\"", "contact.tier = \"\"", "contact.tier != \"Silver\"",
          "contact.tier in [\"Silver\", \"\"]", "contact.tier is empty", "contact.tier not in [\"Gold\"]"));
      default -> pick(List.of("contact.companySize is empty", "contact.birthDate is not empty",
          "contact.lastActivityAt is empty", "true", "false", "HOT > 10", "contact.score in [0, 50, 100]"));
    };
  }

  private String op() {
    return pick(OPS);
  }

  private String number() {
    int n = random.nextInt(140) - 10;
    return random.nextInt(4) == 0 ? n + ".5" : Integer.toString(n);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
