package io.relais.dsl.check;

import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * A large, realistic ruleset for the benchmark and its test: one declarations file, then
 * files of 100 rules cycling through the six kinds, with the conditions marketing ops write
 * (page visits, e-mail engagement, scores, funnel stages, history, purchases).
 */
final class GeneratedRuleset {

  static final int CAMPAIGNS = 20;
  static final int TAGS = 50;
  static final int REWARDS = 10;
  private static final int RULES_PER_FILE = 100;
  private static final String[] SECTIONS = {"financing", "leasing", "pricing", "models",
      "service", "insurance", "electric", "used-cars", "careers", "contact"};

  private GeneratedRuleset() {}

  static List<Source> generate(int rules) {
    List<Source> sources = new ArrayList<>();
    sources.add(new Source("0-declarations.rules", declarations()));
    StringBuilder file = new StringBuilder();
    int[] perKind = new int[6];
    for (int i = 0; i < rules; i++) {
      int kind = i % 6;
      file.append(rule(kind, perKind[kind]++, i)).append('\n');
      if ((i + 1) % RULES_PER_FILE == 0 || i == rules - 1) {
        sources.add(new Source(String.format("rules-%02d.rules", i / RULES_PER_FILE),
            file.toString()));
        file.setLength(0);
      }
    }
    return sources;
  }

  private static String declarations() {
    StringBuilder s = new StringBuilder("""
        ruleset "generated"
        timezone "Europe/Paris"
        default owner "sales@acme-auto.fr"
        define HOT = 100
        define WARM = 40
        define BIG_BASKET = 250
        define LAUNCH = 2026-01-15
        attribute contact.industry : text
        attribute contact.budget : number
        attribute contact.newsletter : boolean
        event webinar_attended { title: text, minutes: number }
        event test_drive { model: text, dealer: text }

        tier "Bronze" from 0 points
        tier "Silver" from 500 points
        tier "Gold" from 2000 points
        tier "Platinum" from 5000 points

        """);
    for (int r = 0; r < REWARDS; r++) {
      s.append("reward \"reward-").append(r).append("\" costs ").append(100 * (r + 1))
          .append(" points\n");
    }
    for (int c = 0; c < CAMPAIGNS; c++) {
      String section = SECTIONS[c % SECTIONS.length];
      s.append("\ncampaign \"campaign-").append(c).append("\"\n")
          .append("  step \"").append(section).append("-intro\" after 0 days\n")
          .append("  step \"").append(section).append("-benefits\" after 3 days\n")
          .append("  step \"").append(section).append("-offer\" after 7 days\n")
          .append("  exit when contact.stage >= OPPORTUNITY or has tag \"T").append(c % TAGS)
          .append("\"\nend\n");
    }
    return s.toString();
  }

  private static String rule(int kind, int k, int i) {
    String section = SECTIONS[k % SECTIONS.length];
    String tag = "T" + (k % TAGS);
    String header = (k % 7 == 0 ? "  priority " + (k % 10) + "\n" : "")
        + (k % 11 == 0 ? "  active from 2026-01-01 until 2026-12-31\n" : "");
    return switch (kind) {
      case 0 -> "segment \"Segment " + k + "\"\n" + header
          + "when event is page_visit and event.url matches \"/" + section + "/**\"\n"
          + "  and (contact.country in [\"FR\", \"BE\", \"LU\"] or contact.companySize between 5"
          + " and 500)\n"
          + "then\n  tag \"" + tag + "\"\n  add to segment \"" + section + "\"\nend\n";
      case 1 -> "scoring \"Scoring " + k + "\"\n" + header
          + "when event is email_open and event.campaign = \"campaign-" + (k % CAMPAIGNS) + "\"\n"
          + "  or event is form_submit and event.form contains \"" + section + "\"\n"
          + "  or contact.industry = \"automotive\" and contact.budget > " + (1000 * (k % 20))
          + "\nthen add " + (k % 10 + 1) + " to score because \"engagement\"\nend\n";
      case 2 -> "qualify \"Qualify " + k + "\"\n" + header
          + "when contact.score >= HOT and tag \"" + tag + "\" >= " + (k % 3 + 1) + "\n"
          + "  and contact.stage < SQL and contact.stage != DISQUALIFIED\n"
          + "  and count(page_visit where url matches \"/" + section + "/**\" within 7 days) >= 3\n"
          + "then advance stage to SQL because \"score and " + section + " interest\"\nend\n";
      case 3 -> "nurture \"Nurture " + k + "\"\n" + header
          + "when has tag \"" + tag + "\" and contact.consent.email and contact.stage < SQL\n"
          + "  and days since last purchase > " + (30 + k % 60) + "\n"
          + "then\n  enroll in \"campaign-" + (k % CAMPAIGNS) + "\"\n  send \"" + section
          + "-news\"\nend\n";
      case 4 -> "loyalty \"Loyalty " + k + "\"\n" + header
          + "when event is purchase and event.amount > BIG_BASKET and event.currency = \"EUR\"\n"
          + "  and sum(purchase.amount where currency = \"EUR\" within 365 days) > " + (100 * k)
          + "\nthen\n  award event.amount / 10 points expiring in 365 days because \"purchase\"\n"
          + "  grant reward \"reward-" + (k % REWARDS) + "\"\nend\n";
      default -> "alert \"Alert " + k + "\"\n" + header
          + "when contact.stage >= SQL and event is page_visit\n"
          + "  and event.url matches \"/" + section + "/offers/**\" and contact.age >= 18\n"
          + "then notify owner via slack with \"{{contact.firstName|A lead}} from"
          + " {{contact.company|?}} is back on {{event.url}}\" at most once per 1 day\nend\n";
    };
  }
}
