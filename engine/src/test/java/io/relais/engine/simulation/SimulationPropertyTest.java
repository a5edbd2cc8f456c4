package io.relais.engine.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.fuzz.PipelineFuzzTest;
import io.relais.engine.fuzz.RulesetGenerator;
import io.relais.engine.store.EventRecorder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulations on generated rulesets and histories (the generators of the pipeline fuzz test):
 * a version against itself, compiled once or twice, never differs; a version against another
 * leaves, on the candidate's side, the states and decisions the engine gives when the history is
 * replayed through the candidate directly, event by event.
 */
class SimulationPropertyTest {

  private static final long SEED = 20261206L;
  private static final int PAIRS = 100;
  private static final int CONTACTS_PER_PAIR = 6;

  @Test
  void aVersionAgainstItselfNeverDiffersAndAnotherGivesWhatTheEngineGivesDirectly() {
    Random random = new Random(SEED);
    int compared = 0;
    int withDecisions = 0;
    int differing = 0;
    for (int i = 0; i < PAIRS; i++) {
      Optional<CheckedRuleset> v = generated(random);
      Optional<CheckedRuleset> w = generated(random);
      if (v.isEmpty() || w.isEmpty()) {
        continue;
      }
      CompiledRuleset active = CompiledRuleset.compile(v.get(), 1);
      CompiledRuleset again = CompiledRuleset.compile(v.get(), 2);
      CompiledRuleset candidate = CompiledRuleset.compile(w.get(), 3);
      Replayer activeSide = new Replayer(active);
      for (int c = 0; c < CONTACTS_PER_PAIR; c++) {
        PipelineFuzzTest.DataGenerator data = new PipelineFuzzTest.DataGenerator(random);
        Contact start = data.contact();
        List<Event> events = ordered(data.history(), data.history());
        int cut = events.isEmpty() ? 0 : random.nextInt(events.size());
        List<Event> before = events.subList(0, cut);
        List<Event> period = events.subList(cut, events.size());
        String id = "c-" + i + "-" + c;
        compared++;

        // Against itself: the same compiled version, and the same files compiled again.
        for (CompiledRuleset same : List.of(active, again)) {
          SimulationTally tally = new SimulationTally();
          Simulations.Ends ends = Simulations.compare(activeSide, new Replayer(same), id, start, before, period, tally);
          assertEquals(ends.active(), ends.candidate(), "ruleset pair " + i + ", contact " + c);
          assertNoDifference(tally, "ruleset pair " + i + ", contact " + c);
        }

        // Against another version: the candidate's side is the engine's own replay.
        SimulationTally tally = new SimulationTally();
        Simulations.Ends ends = Simulations.compare(activeSide, new Replayer(candidate), id, start, before, period,
            tally);
        SimulationTally direct = new SimulationTally();
        Contact expected = direct(candidate, start, before, period, direct);
        assertEquals(expected, ends.candidate(), "ruleset pair " + i + ", contact " + c + "\n" + w.get());
        assertEquals(direct(active, start, before, period, new SimulationTally()), ends.active());
        SimulationStatus.Result result = tally.result();
        SimulationStatus.Result directResult = direct.result();
        assertEquals(directResult.decisions().byType().stream().map(t -> t.type() + "=" + t.candidate()).toList(),
            result.decisions().byType().stream().filter(t -> t.candidate() > 0)
                .map(t -> t.type() + "=" + t.candidate()).toList());
        withDecisions += result.decisions().byType().isEmpty() ? 0 : 1;
        differing += tally.changed;
      }
    }
    // The generators give enough material for the properties to mean something.
    assertTrue(compared >= PAIRS * CONTACTS_PER_PAIR / 2, "compared " + compared);
    assertTrue(withDecisions >= compared / 4, "with decisions " + withDecisions + " of " + compared);
    assertTrue(differing > 0, "no pair of versions ever left different states");
  }

  private static void assertNoDifference(SimulationTally tally, String what) {
    assertEquals(0, tally.changed, what);
    SimulationStatus.Result result = tally.result();
    result.decisions().byType().forEach(t -> assertEquals(0, t.difference(), what + " " + t));
    result.decisions().byRule().forEach(t -> assertEquals(0, t.difference(), what + " " + t));
    result.alerts().forEach(t -> assertEquals(0, t.difference(), what + " " + t));
    result.messages().forEach(t -> assertEquals(0, t.difference(), what + " " + t));
  }

  /**
   * The history through {@code ruleset} by hand: each event evaluated with every earlier one as
   * history, as of its own time, and applied as the store applies it; counted on the candidate side.
   */
  private static Contact direct(CompiledRuleset ruleset, Contact start, List<Event> before, List<Event> period,
      SimulationTally tally) {
    List<Event> past = new ArrayList<>(before);
    Contact contact = start;
    for (Event event : period) {
      Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), List.copyOf(past), event.at());
      tally.decided(SimulationTally.CANDIDATE, evaluation);
      contact = EventRecorder.touched(evaluation.resultingContact(), event.at());
      past.add(event);
    }
    return contact;
  }

  /** Two generated histories as one, in time order, each event with an id of its own. */
  @SafeVarargs
  private static List<Event> ordered(List<Event>... histories) {
    List<Event> all = new ArrayList<>();
    for (List<Event> history : histories) {
      all.addAll(history);
    }
    all.sort(Comparator.comparing(Event::at));
    List<Event> out = new ArrayList<>();
    for (int n = 0; n < all.size(); n++) {
      Event e = all.get(n);
      out.add(new Event("e-" + n, e.type(), e.at(), e.attributes()));
    }
    return out;
  }

  private static Optional<CheckedRuleset> generated(Random random) {
    RulesetGenerator generator = new RulesetGenerator(random, RulesetGenerator.Shape.SMALL);
    String text = generator.ruleset();
    List<Source> sources = generator.readsTable()
        ? List.of(new Source("fuzz.rules", text), PipelineFuzzTest.FIT_GRID)
        : List.of(new Source("fuzz.rules", text));
    CheckResult checked = RuleLanguage.check("fuzz", sources);
    return checked.ruleset();
  }
}
