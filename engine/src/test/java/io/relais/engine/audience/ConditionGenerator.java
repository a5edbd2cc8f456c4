package io.relais.engine.audience;

import java.util.List;
import java.util.Random;

/**
 * Random conditions over what the push-down supports, biased to the edges: empty and missing
 * text, case, DISQUALIFIED, tags a contact lacks, decimals against integer fields, {@code not}.
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
    return switch (random.nextInt(23)) {
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
