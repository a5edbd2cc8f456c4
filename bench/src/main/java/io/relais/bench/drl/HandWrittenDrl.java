package io.relais.bench.drl;

import io.relais.bench.Workload;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.internal.utils.KieHelper;

/**
 * The workload's rules ({@link Workload#rules}) as a Drools developer would write them by hand
 * in DRL: beans, accumulate for history, one ruleflow-group per phase, {@code modify} in
 * consequences with {@code lock-on-active}, salience for the rules' order. The session is
 * reused, as Relais reuses its sessions: an evaluation inserts its facts, fires the six groups
 * in order and deletes its facts again.
 */
public final class HandWrittenDrl {

  private final KieSession session;
  private final BEvent[] events;
  private final List<FactHandle> handles = new ArrayList<>();

  /** A session over {@code rules} generated rules, for one triggering event and its history. */
  public HandWrittenDrl(int rules, Event event, List<Event> history, Instant now) {
    KieBase base = new KieHelper().addContent(drl(rules), ResourceType.DRL).build();
    this.session = base.newKieSession();
    List<BEvent> beans = new ArrayList<>();
    beans.add(bean(event, now, true));
    for (Event e : history) {
      beans.add(bean(e, now, false));
    }
    this.events = beans.toArray(BEvent[]::new);
  }

  private static BEvent bean(Event e, Instant now, boolean triggering) {
    long hours = Duration.between(e.at(), now).toHours();
    long days = ChronoUnit.DAYS.between(e.at().atZone(Workload.ZONE).toLocalDateTime(),
        now.atZone(Workload.ZONE).toLocalDateTime());
    Object amount = e.attributes().get("amount");
    return new BEvent(e.type(), hours, days, (String) e.attributes().get("url"),
        (String) e.attributes().get("title"),
        amount instanceof Number n ? n.doubleValue() : 0, triggering);
  }

  /** The DRL text of the workload's {@code rules} rules. */
  public static String drl(int rules) {
    StringBuilder drl = new StringBuilder(rules * 300).append("package io.relais.bench.drl;\n")
        .append("import io.relais.bench.drl.BContact;\nimport io.relais.bench.drl.BEvent;\n\n");
    for (int i = 0; i < rules; i++) {
      int k = i / Workload.BUCKET;
      int j = i % Workload.BUCKET;
      String section = k + "-" + j % 5;
      String kind = switch (j % 6) {
        case 0 -> "Section ";
        case 1 -> "Visits ";
        case 2 -> "Qualify ";
        case 3 -> "Nurture ";
        case 4 -> "Loyalty ";
        default -> "Alert ";
      };
      String name = kind + i;
      drl.append("rule \"").append(name).append("\"\n  ruleflow-group \"phase-").append(j % 6 + 1)
          .append("\"\n  lock-on-active true\n  salience ").append(-i).append("\nwhen\n");
      switch (j % 6) {
        case 0 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\", url matches \"/section-")
            .append(section).append("/.*\")\nthen\n  modify($c) { addTag(\"").append(name).append("\", \"T")
            .append(section).append("\", \"Visitors ").append(section).append("\") };\n");
        case 1 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\", title == \"b")
            .append(k).append("\")\n  Number(intValue >= ").append(j / 4)
            .append(") from accumulate(BEvent(type == \"page_visit\", ageHours <= 72), count(1))\n")
            .append("then\n  modify($c) { setScore($c.getScore() + 1) };\n  $c.decided(\"SCORE\", \"")
            .append(name).append("\", \"delta\", 1, \"score\", $c.getScore());\n");
        case 2 -> drl.append("  $c : BContact(score >= ").append(j).append(", tag(\"T").append(section)
            .append("\") >= 1, stage < 2)\nthen\n  String from = $c.stageName();\n")
            .append("  modify($c) { setStage(2) };\n  $c.decided(\"STAGE\", \"").append(name)
            .append("\", \"from\", from, \"to\", \"MQL\");\n");
        case 3 -> drl.append("  $c : BContact(tag(\"T").append(section).append("\") >= 1, stage < 3)\n")
            .append("then\n  $c.decided(\"MESSAGE\", \"").append(name).append("\", \"message\", \"message-")
            .append(i).append("\", \"channel\", \"email\", \"sendAt\", $c.getNow());\n");
        case 4 -> drl.append("  $c : BContact()\n  BEvent(triggering, type == \"page_visit\", title == \"b")
            .append(k).append("\")\n  Number(doubleValue > ").append(j * 15)
            .append(") from accumulate(BEvent(type == \"purchase\", ageHours <= 8760, $a : amount), sum($a))\n")
            .append("then\n  $c.award(\"").append(name).append("\");\n");
        default -> drl.append("  $c : BContact(stage >= 2)\n  $e : BEvent(triggering, type == \"page_visit\", title == \"b")
            .append(k).append("\")\n  exists BEvent(type == \"purchase\", ageDays < ").append(j - 30)
            .append(")\nthen\n  $c.alert(\"").append(name)
            .append("\", ($c.getFirstName() != null ? $c.getFirstName() : \"Someone\") + \" is on \" + $e.getUrl());\n");
      }
      drl.append("end\n\n");
    }
    return drl.toString();
  }

  /**
   * One evaluation on the reused session: the contact's bean and the events in, the six groups
   * focused in order, every fact deleted again. Not thread-safe: one per benchmark thread.
   */
  public List<Workload.Made> evaluate(Contact contact, Instant now) {
    BContact bean = new BContact(contact.score(), contact.stage().ordinal(), contact.tags(),
        contact.segments(), contact.alerts(), contact.firstName(), contact.owner(), now);
    handles.clear();
    try {
      handles.add(session.insert(bean));
      for (BEvent event : events) {
        handles.add(session.insert(event));
      }
      for (int phase = 1; phase <= 6; phase++) {
        session.getAgenda().getAgendaGroup("phase-" + phase).setFocus();
        session.fireAllRules();
      }
    } finally {
      for (FactHandle handle : handles) {
        session.delete(handle);
      }
    }
    return bean.getDecisions();
  }
}
