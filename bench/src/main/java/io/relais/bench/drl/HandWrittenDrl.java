package io.relais.bench.drl;

import io.relais.bench.DecisionBenchmark;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.internal.utils.KieHelper;

/**
 * The benchmark's 50 rules as a Drools developer would write them by hand in DRL: beans,
 * accumulate for history, one ruleflow-group per phase, {@code modify} in consequences with
 * {@code lock-on-active}.
 */
public final class HandWrittenDrl {

  private HandWrittenDrl() {}

  public static String drl() {
    StringBuilder drl = new StringBuilder("package io.relais.bench.drl;\n")
        .append("import io.relais.bench.drl.BContact;\nimport io.relais.bench.drl.BEvent;\n\n");
    for (int i = 0; i < DecisionBenchmark.RULES; i++) {
      drl.append("rule \"r").append(i).append("\"\n  ruleflow-group \"phase-").append(phase(i))
          .append("\"\n  lock-on-active true\nwhen\n");
      switch (i % 6) {
        case 0 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\", url matches \"/section-")
            .append(i % 12).append("/.*\")\nthen\n  modify($c) { addTag(\"T").append(i % 12).append("\") };\n");
        case 1 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\")\n")
            .append("  Number(intValue >= ").append(i % 7)
            .append(") from accumulate(BEvent(type == \"page_visit\", ageHours <= 720), count(1))\n")
            .append("then\n  modify($c) { setScore($c.getScore() + 1) };\n");
        case 2 -> drl.append("  $c : BContact(score >= ").append(i).append(", tag(\"T").append(i % 12)
            .append("\") >= 1, stage < 2)\nthen\n  modify($c) { setStage(2) };\n");
        case 3 -> drl.append("  $c : BContact(tag(\"T").append(i % 12).append("\") >= 1, stage < 3)\n")
            .append("then\n  $c.decided();\n");
        case 4 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\")\n")
            .append("  Number(doubleValue > ").append(i * 10)
            .append(") from accumulate(BEvent(type == \"purchase\", ageHours <= 8760, $a : amount), sum($a))\n")
            .append("then\n  $c.decided();\n");
        default -> drl.append("  $c : BContact(stage >= 2)\n  BEvent(triggering, type == \"page_visit\")\n")
            .append("  BEvent(type == \"purchase\", ageHours < ").append(24 * i).append(")\n")
            .append("then\n  $c.decided();\n");
      }
      drl.append("end\n\n");
    }
    return drl.toString();
  }

  private static int phase(int i) {
    return switch (i % 6) {
      case 0 -> 1;
      case 1 -> 2;
      case 2 -> 3;
      case 3 -> 4;
      case 4 -> 5;
      default -> 6;
    };
  }

  public static KieBase build() {
    return new KieHelper().addContent(drl(), ResourceType.DRL).build();
  }

  /** One evaluation: a fresh session, facts in, the six groups focused in order. */
  public static int evaluate(KieBase base, BContact contact, BEvent[] events) {
    return evaluate(base, contact, events, 6, DecisionBenchmark.RULES);
  }

  /**
   * One evaluation of any hand-written rule base laid out in agenda groups {@code phase-1} to
   * {@code phase-N}: a fresh session, facts in, the groups focused in order, each fired with
   * {@code firingLimit}.
   */
  public static int evaluate(KieBase base, BContact contact, BEvent[] events, int phases, int firingLimit) {
    KieSession session = base.newKieSession();
    try {
      session.insert(contact);
      for (BEvent event : events) {
        session.insert(event);
      }
      int fired = 0;
      for (int phase = 1; phase <= phases; phase++) {
        session.getAgenda().getAgendaGroup("phase-" + phase).setFocus();
        fired += session.fireAllRules(firingLimit);
      }
      return fired;
    } finally {
      session.dispose();
    }
  }
}
