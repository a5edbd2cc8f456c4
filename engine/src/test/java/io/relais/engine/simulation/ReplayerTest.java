package io.relais.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.store.EventRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replayed history with campaign steps in it decides them as the due-step scheduler did. */
class ReplayerTest {

  private static final Instant DAY_1 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aRecordedCampaignStepIsDecidedAgainAsADueStep() {
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("test.rules", """
        campaign "leasing-101"
          step "leasing-intro" after 0 days
          step "leasing-benefits" after 3 days
        end

        nurture "Leasing"
        when event is page_visit
        then enroll in "leasing-101"
        end
        """)));
    assertThat(checked.errors()).isEmpty();
    Replayer replayer = new Replayer(CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1));
    Contact start = Contact.withId("c-1").toBuilder().consent(new Contact.Consent(true, null)).build();
    Instant due = DAY_1.plusSeconds(3 * 24 * 3600);
    List<Event> history = List.of(
        new Event("v-1", "page_visit", DAY_1, Map.of("url", "/offers")),
        new Event("step:2", EventRecorder.DUE_STEP_EVENT, due, Map.of("campaign", "leasing-101")));
    List<Evaluation> seen = new ArrayList<>();

    Contact end = replayer.replay(start, List.of(), history, seen::add);

    // The first step (after 0 days) is decided by the enrolling event; the second when due.
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1).decisions()).extracting(Decision::type).containsExactly(Decision.Type.MESSAGE);
    assertThat(seen.get(1).decisions().get(0).field("step")).isEqualTo("leasing-benefits");
    assertThat(end.enrollments()).singleElement().satisfies(e -> assertThat(e.nextDueAt()).isNull());
    // A step is no activity of the contact.
    assertThat(end.lastActivityAt()).isEqualTo(DAY_1);

    // Each step counts once: planned by the ENROLL, not again when its message is decided.
    SimulationTally tally = new SimulationTally();
    seen.forEach(e -> tally.decided(SimulationTally.ACTIVE, e));
    assertThat(tally.messages).hasSize(2)
        .allSatisfy((step, counts) -> assertThat(counts[SimulationTally.ACTIVE]).as(step).isEqualTo(1));
  }
}
