package io.relais.engine.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.engine.batch.BatchParts;
import io.relais.engine.batch.BatchSettings;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulations on a real node over a known history, recorded through the recorder as live events
 * are: exact counts for a known candidate, none for the active version against itself, an invalid
 * candidate refused before anything runs, the stored documents unchanged, a filter, a cancel.
 *
 * <p>The history, for a period of October 2026 (v1 makes a lead an MQL at 50 points, v2 at 30
 * points and also welcomes MQLs with a two-step campaign and alerts their owner on a form):
 * <ul>
 *   <li>A, 10 contacts from France: four visits and a form in October (v1: 40 points, a lead;
 *       v2: an MQL at the third visit, enrolled, one alert);
 *   <li>B, 5 contacts: two visits in September, three in October (v1: an MQL at the third; v2:
 *       at the first, enrolled), so their start is rebuilt from September;
 *   <li>E, 3 contacts given 25 points by a profile update, one visit in September (35 points
 *       recorded) and two in October: their rebuilt start (10 points) is set to the recorded 35;
 *   <li>C, 5 contacts with a visit in November only, and D, 3 contacts without events: not replayed.
 * </ul>
 */
class SimulationIT {

  static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-11-01T00:00:00Z");
  static final String V1 = """
      ruleset "sim"
      default owner "sales@example.com"

      scoring "Visit"
      when event is page_visit
      then add 10 to score
      end

      qualify "Engaged"
      when contact.score >= 50 and contact.stage < MQL
      then advance stage to MQL
      end
      """;
  static final String V2 = """
      ruleset "sim"
      default owner "sales@example.com"

      campaign "welcome"
        step "w-1" after 0 days
        step "w-2" after 3 days
      end

      scoring "Visit"
      when event is page_visit
      then add 10 to score
      end

      qualify "Engaged"
      when contact.score >= 30 and contact.stage < MQL
      then advance stage to MQL
      end

      nurture "Welcome MQLs"
      when contact.stage >= MQL
      then enroll in "welcome"
      end

      alert "MQL form"
      when contact.stage >= MQL and event is form_submit
      then notify owner with "{{contact.email}} sent a form"
      end
      """;
  static final BatchSettings SETTINGS =
      new BatchSettings(3, 4, 2, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));

  private BatchParts parts;
  private final List<Simulations> instances = new ArrayList<>();
  private int recorded;

  @BeforeEach
  void seed() {
    parts = new BatchParts(TestStore.freshSettings());
    assertTrue(parts.registry.put("sim", Map.of("sim.rules", V1), true, "test").active());
    assertEquals(2, parts.registry.put("sim", Map.of("sim.rules", V2), false, "test").version().orElseThrow().version());
    List<ProfileUpdate> profiles = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      profiles.add(profile("a-" + n, "FR", Set.of()));
    }
    for (int n = 0; n < 5; n++) {
      profiles.add(profile("b-" + n, "DE", Set.of()));
      profiles.add(profile("c-" + n, "DE", Set.of()));
    }
    for (int n = 0; n < 3; n++) {
      profiles.add(profile("d-" + n, "DE", Set.of()));
      profiles.add(profile("e-" + n, "DE", Set.of("score")));
    }
    parts.contacts.putAll(profiles, Instant.parse("2026-08-01T00:00:00Z"))
        .forEach(item -> assertEquals(null, item.error(), item.id()));
    CompiledRuleset v1 = parts.registry.active("sim").orElseThrow().compiled();
    for (int n = 0; n < 10; n++) {
      for (int day = 2; day <= 5; day++) {
        record("a-" + n, "page_visit", "2026-10-0" + day + "T10:00:00Z", v1);
      }
      record("a-" + n, "form_submit", "2026-10-06T10:00:00Z", v1);
    }
    for (int n = 0; n < 5; n++) {
      record("b-" + n, "page_visit", "2026-09-10T10:00:00Z", v1);
      record("b-" + n, "page_visit", "2026-09-11T10:00:00Z", v1);
      for (int day = 2; day <= 4; day++) {
        record("b-" + n, "page_visit", "2026-10-0" + day + "T10:00:00Z", v1);
      }
      record("c-" + n, "page_visit", "2026-11-03T10:00:00Z", v1);
    }
    for (int n = 0; n < 3; n++) {
      record("e-" + n, "page_visit", "2026-09-20T10:00:00Z", v1);
      record("e-" + n, "page_visit", "2026-10-07T10:00:00Z", v1);
      record("e-" + n, "page_visit", "2026-10-08T10:00:00Z", v1);
    }
    // The event documents are written after the answers (docs/store.md): wait until all are searchable.
    Await.until("every event document", Duration.ofMinutes(1), () -> {
      parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(parts.indices.events())));
      return parts.calls.run("count", () -> parts.store.client().count(c -> c.index(parts.indices.events())))
          .count() == recorded;
    });
  }

  private static ProfileUpdate profile(String id, String country, Set<String> state) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("email", id + "@example.com");
    json.put("owner", "rep-" + country.toLowerCase() + "@example.com");
    json.put("country", country);
    json.put("consent", Map.of("email", true));
    if (!state.isEmpty()) {
      json.put("score", 25);
    }
    return new ProfileUpdate(Contact.fromJson(json), state, false, false);
  }

  private void record(String contactId, String type, String at, CompiledRuleset ruleset) {
    parts.recorder.record(contactId, new Event(contactId + "@" + at, type, Instant.parse(at), Map.of()), ruleset);
    recorded++;
  }

  @AfterEach
  void close() {
    instances.forEach(Simulations::close);
    parts.close();
  }

  private Simulations instance() {
    Simulations simulations = parts.simulations(SETTINGS);
    instances.add(simulations);
    return simulations;
  }

  static SimulationStatus finished(Simulations simulations, String id) {
    Await.until("the simulation's end", Duration.ofMinutes(3),
        () -> "DONE".equals(simulations.status(id).orElseThrow().state()));
    return simulations.status(id).orElseThrow();
  }

  @Test
  void aKnownCandidateGivesExactCountsAsAStoredVersionAndAsFiles() {
    Simulations simulations = instance();
    simulations.startWorker();
    SimulationStatus stored = finished(simulations,
        simulations.start("sim", new Simulations.Candidate(null, 2), FROM, UNTIL, null).id());
    assertEquals(26, stored.total());
    assertEquals(26, stored.done());
    assertEquals(18, stored.contacts(), "A, B and E have events in October");
    assertEquals(10 * 5 + 5 * 3 + 3 * 2, stored.events());
    assertEquals(3, stored.startsCorrected(), "E's start is the state its September event recorded");
    assertEquals(0, stored.errors(), stored.errorSamples().toString());
    assertEquals(1, stored.activeVersion());
    assertEquals(2, stored.candidateVersion());

    SimulationStatus.Result result = stored.result();
    // Step w-1 (after 0 days) is decided by the evaluation that enrolls: a MESSAGE of the same rule.
    assertEquals(Map.of("SCORE", List.of(61L, 61L), "STAGE", List.of(8L, 18L), "ENROLL", List.of(0L, 18L),
        "MESSAGE", List.of(0L, 18L), "ALERT", List.of(0L, 10L)), byType(result));
    assertEquals(Map.of("Visit", List.of(61L, 61L), "Engaged", List.of(8L, 18L), "Welcome MQLs", List.of(0L, 36L),
        "MQL form", List.of(0L, 10L)), byRule(result));
    assertEquals(Map.of("rep-fr@example.com", List.of(0L, 10L)), result.alerts().stream().collect(Collectors.toMap(
        SimulationStatus.AlertCount::recipient, a -> List.of(a.active(), a.candidate()))));
    assertEquals(Map.of("welcome/w-1", List.of(0L, 18L), "welcome/w-2", List.of(0L, 18L)),
        result.messages().stream().collect(Collectors.toMap(m -> m.campaign() + "/" + m.step(),
            m -> List.of(m.active(), m.candidate()))));
    SimulationStatus.Changes changes = result.contacts();
    assertEquals(18, changes.changed());
    assertEquals(10, changes.stage(), "A become MQLs with v2 only");
    assertEquals(18, changes.enrollments());
    assertEquals(0, changes.tier());
    assertEquals(0, changes.segments());
    assertEquals(18, changes.sample().size());
    SimulationStatus.Changed first = changes.sample().get(0);
    assertEquals("a-0", first.contactId());
    assertEquals("LEAD", first.active().stage());
    assertEquals(40, first.active().score());
    assertEquals("MQL", first.candidate().stage());
    assertEquals(List.of("welcome"), first.candidate().enrollments().stream()
        .map(SimulationStatus.FinalEnrollment::campaign).toList());
    assertEquals(Instant.parse("2026-10-04T10:00:00Z"), first.candidate().enrollments().get(0).enrolledAt(),
        "enrolled at the third visit, replayed as of its time");

    SimulationStatus files = finished(simulations, simulations.start("sim",
        new Simulations.Candidate(Map.of("sim.rules", V2), null), FROM, UNTIL, null).id());
    assertEquals(result, files.result());
    assertEquals(null, files.candidateVersion());
  }

  private static Map<String, List<Long>> byType(SimulationStatus.Result result) {
    return result.decisions().byType().stream().collect(Collectors.toMap(SimulationStatus.TypeCount::type,
        t -> List.of(t.active(), t.candidate())));
  }

  private static Map<String, List<Long>> byRule(SimulationStatus.Result result) {
    return result.decisions().byRule().stream().collect(Collectors.toMap(SimulationStatus.RuleCount::rule,
        t -> List.of(t.active(), t.candidate())));
  }

  @Test
  void aMergedPersonIsReplayedOnceAsTheContactMergedInto() {
    ContactMerges merges = new ContactMerges(parts.store, parts.indices, parts.calls, parts.contacts,
        java.time.Clock.systemUTC(), new EventSettings(50, Duration.ofMillis(50), 1_000, Duration.ofSeconds(1)));
    assertTrue(merges.merge("e-0", "e-1") instanceof ContactMerges.Merged);
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(parts.indices.contacts())));
    Simulations simulations = instance();
    simulations.startWorker();

    SimulationStatus same = finished(simulations,
        simulations.start("sim", new Simulations.Candidate(null, 1), FROM, UNTIL, null).id());

    // e-1 is an alias of e-0 now: 18 people had events in the period, 17 remain, each once.
    assertEquals(17, same.contacts());
    assertEquals(0, same.result().contacts().changed());
  }

  @Test
  void theActiveVersionAgainstItselfReportsNoDifference() {
    Simulations simulations = instance();
    simulations.startWorker();
    SimulationStatus same = finished(simulations,
        simulations.start("sim", new Simulations.Candidate(null, 1), FROM, UNTIL, null).id());
    assertEquals(18, same.contacts());
    SimulationStatus.Result result = same.result();
    assertEquals(0, result.contacts().changed());
    assertEquals(List.of(), result.contacts().sample());
    assertEquals(Map.of("SCORE", List.of(61L, 61L), "STAGE", List.of(8L, 8L)), byType(result));
    result.decisions().byRule().forEach(r -> assertEquals(0, r.difference(), r.toString()));
  }

  @Test
  void anInvalidCandidateIsRefusedWithEveryDiagnosticAndNothingRuns() {
    Simulations simulations = instance();
    String broken = """
        scoring "One"
        when event is page_vist
        then add 10 to score
        end

        scoring "Two"
        when contact.scroe > 3
        then add 1 to score
        end
        """;
    Simulations.InvalidCandidateException refused = assertThrows(Simulations.InvalidCandidateException.class,
        () -> simulations.start("sim", new Simulations.Candidate(Map.of("sim.rules", broken), null), FROM, UNTIL,
            null));
    List<Integer> lines = refused.diagnostics().stream().filter(d -> d.isError()).map(d -> d.span().line()).toList();
    assertEquals(List.of(2, 7), lines, refused.diagnostics().toString());
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(simulationsIndex())));
    assertEquals(0, parts.calls.run("count", () -> parts.store.client().count(c -> c.index(simulationsIndex())))
        .count(), "no simulation was created");
  }

  private String simulationsIndex() {
    return parts.store.settings().index("simulations");
  }

  @Test
  void contactsAndEventsAreTheSameDocumentsAfterASimulation() {
    Map<String, String> contactsBefore = documents(parts.indices.contacts());
    Map<String, String> eventsBefore = documents(parts.indices.events());
    Simulations simulations = instance();
    simulations.startWorker();
    SimulationStatus done = finished(simulations,
        simulations.start("sim", new Simulations.Candidate(null, 2), FROM, UNTIL, null).id());
    assertEquals(18, done.contacts());
    assertEquals(contactsBefore, documents(parts.indices.contacts()));
    assertEquals(eventsBefore, documents(parts.indices.events()));
  }

  /** Every document of an index: its id to its version, sequence number and source as stored. */
  @SuppressWarnings("rawtypes")
  private Map<String, String> documents(String index) {
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(index)));
    var found = parts.calls.run("read all", () -> parts.store.client().search(s -> s.index(index).size(1_000)
        .seqNoPrimaryTerm(true).version(true), Map.class));
    Map<String, String> out = new TreeMap<>();
    for (var hit : found.hits().hits()) {
      out.put(hit.id(), hit.version() + "/" + hit.seqNo() + "/" + hit.primaryTerm() + " " + hit.source());
    }
    assertTrue(out.size() >= 26, index + " holds the seeded documents");
    return out;
  }

  @Test
  void aFilterLimitsTheSimulationToTheContactsThatMeetIt() {
    Simulations simulations = instance();
    simulations.startWorker();
    SimulationStatus france = finished(simulations, simulations.start("sim", new Simulations.Candidate(null, 2),
        FROM, UNTIL, "contact.country = \"FR\"").id());
    assertEquals(10, france.total());
    assertEquals(10, france.contacts());
    assertEquals(10, france.result().contacts().changed());
  }

  @Test
  void eventsRecordedAfterTheStartAreNotRead() {
    Simulations simulations = instance();
    String id = simulations.start("sim", new Simulations.Candidate(null, 2), FROM, UNTIL, null).id();
    // Recorded after the start, with an `at` in the period: a page worked again after a crash would
    // read it the second time only, so no page reads it.
    record("a-0", "page_visit", "2026-10-09T10:00:00Z", parts.registry.active("sim").orElseThrow().compiled());
    simulations.startWorker();
    SimulationStatus done = finished(simulations, id);
    assertEquals(10 * 5 + 5 * 3 + 3 * 2, done.events());
    assertEquals(40, done.result().contacts().sample().get(0).active().score());
  }

  @Test
  void aCancelledSimulationIsNotWorked() {
    Simulations simulations = instance();
    SimulationStatus cancelled = simulations.start("sim", new Simulations.Candidate(null, 2), FROM, UNTIL, null);
    assertEquals("CANCELLED", simulations.cancel(cancelled.id()).orElseThrow().state());
    simulations.startWorker();
    // The worker finishes a later simulation; the cancelled one's slices, open before, stay untouched.
    SimulationStatus later = finished(simulations,
        simulations.start("sim", new Simulations.Candidate(null, 2), FROM, UNTIL, null).id());
    assertEquals(18, later.contacts());
    SimulationStatus after = simulations.status(cancelled.id()).orElseThrow();
    assertEquals("CANCELLED", after.state());
    assertEquals(0, after.done());
    // Not even claimed: no instance took a slice of it.
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(simulationsIndex())));
    @SuppressWarnings("rawtypes")
    var slices = parts.calls.run("read slices", () -> parts.store.client().search(s -> s.index(simulationsIndex())
        .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("kind").value("slice")))
            .filter(f -> f.term(t -> t.field("runId").value(cancelled.id()))))), Map.class));
    assertEquals(SETTINGS.slices(), slices.hits().hits().size());
    slices.hits().hits().forEach(slice -> assertEquals(null, slice.source().get("owner"), slice.id()));
  }
}
