package io.relais.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.store.StoredContact;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Merging contacts with many events ({@code docs/performance.md}, "Identity merge"): seeds pairs
 * of contacts whose merged one has N recorded events (in the events index, as after months of
 * tracking), then times {@link ContactMerges#merge} on each pair, wall clock, and the first and
 * the following events of the merged contact, whose history is then read under both ids. The
 * events are neither moved nor re-keyed: they stay under their contact's id, and the merged
 * contact's {@code mergedFrom} is the reference every history read follows. Prints one line per
 * figure, {@code name|value|unit|how}.
 *
 * <p>Arguments: {@code --es URL} (required), {@code --events N} (100000), {@code --pairs P} (3).
 */
public final class MergeBenchmark {

  private static final String RULES = """
      scoring "Visit"
      when event is page_visit
      then add 1 to score
      end

      scoring "Busy day"
      when event is page_visit and count(page_visit within 1 day) >= 10
      then add 5 to score
      end
      """;

  private MergeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    URI es = URI.create(options.getOrDefault("es", ""));
    int eventCount = Integer.parseInt(options.getOrDefault("events", "100000"));
    int pairs = Integer.parseInt(options.getOrDefault("pairs", "3"));
    String prefix = "bench-merge-" + UUID.randomUUID().toString().substring(0, 8);
    StoreSettings settings = new StoreSettings(es, prefix, Duration.ofSeconds(30), Duration.ofMinutes(5));
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings)) {
      ObjectMapper json = ElasticsearchStore.mapper();
      StoreCalls calls = StoreCalls.uncounted();
      StoreIndices indices = new StoreIndices(store, calls);
      indices.ensureAll();
      ContactStore contacts = new ContactStore(store, indices, calls, json);
      EventLog events = new EventLog(store, indices, calls);
      EventSettings eventSettings = EventSettings.defaults();
      EventRecorder recorder = new EventRecorder(contacts, events, Clock.systemUTC(), eventSettings);
      ContactMerges merges = new ContactMerges(store, indices, calls, contacts, Clock.systemUTC(), eventSettings);
      CompiledRuleset ruleset = CompiledRuleset.compile(
          RuleLanguage.check("merge", List.of(new Source("merge.rules", RULES))).ruleset().orElseThrow(), 1);
      Instant now = Instant.now();

      // 1. Seed: per pair, the visitor has 99% of the events (a year of tracking), the known
      // contact the rest; every document in the events index, none in an outbox.
      long start = System.nanoTime();
      for (int p = 0; p < pairs; p++) {
        seed(contacts, events, "known-" + p, eventCount / 100, now);
        seed(contacts, events, "visitor-" + p, eventCount - eventCount / 100, now);
      }
      seed(contacts, events, "alone", eventCount, now);
      calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.events(), indices.contacts())));
      print("seed", (pairs + 1) * (double) eventCount / seconds(start), "events/s",
          "bulk of 5000 event documents, one thread (not a figure of the merge)");

      // 2. The merges.
      double[] merge = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        long t = System.nanoTime();
        ContactMerges.Result result = merges.merge("known-" + p, "visitor-" + p);
        merge[p] = millis(t);
        if (!(result instanceof ContactMerges.Merged)) {
          throw new IllegalStateException("merge " + p + " gave " + result);
        }
      }
      Arrays.sort(merge);
      print("merge, " + eventCount + " events", merge[merge.length / 2], "ms",
          "median of " + pairs + " merges (max " + fmt(merge[merge.length - 1]) + " ms), wall clock: "
              + "3 conditional writes, 4 real-time reads, no event moved");

      // 3. Events of the merged contact (history read under both ids) and of a contact never
      // merged with as many events, for comparison.
      // The contact never merged first: the first search of the freshly seeded index pays for
      // what the node still does after the bulk load, whoever comes first.
      for (String id : List.of("alone", "known-0", "known-1")) {
        long t = System.nanoTime();
        recorder.record(id, visit("first-after"), ruleset);
        double first = millis(t);
        double[] next = new double[20];
        for (int i = 0; i < next.length; i++) {
          t = System.nanoTime();
          recorder.record(id, visit("after-" + i), ruleset);
          next[i] = millis(t);
        }
        Arrays.sort(next);
        print("event of " + (id.equals("alone") ? "a contact never merged" : "merged contact " + id), first, "ms",
            "first event, count(page_visit within 1 day) read from the index; the next 20: median "
                + fmt(next[next.length / 2]) + " ms");
      }
      StoredContact merged = contacts.read("known-0").orElseThrow();
      print("merged contact's owners", merged.owners().size(), "ids", String.join(", ", merged.owners()));
      calls.run("delete", () -> store.client().indices().delete(d -> d
          .index(indices.contacts(), indices.events(), indices.recovery()).ignoreUnavailable(true)));
    }
  }

  // A contact and `count` visits spread over the last 300 days, written as recorded documents.
  private static void seed(ContactStore contacts, EventLog events, String id, int count, Instant now) {
    Contact contact = Contact.withId(id);
    // Its recent events unknown (null), as for a contact whose list does not cover its history:
    // every history read goes to the index, as it would for these events.
    contacts.write(StoredContact.absent(contact), contact, List.of(), null, now);
    DecisionJson decision = DecisionJson.of(Map.of("decisions", List.of()));
    long span = Duration.ofDays(300).toSeconds();
    List<PendingEvent> page = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant at = now.minusSeconds(span * (i + 1L) / (count + 1L));
      page.add(new PendingEvent(id + "-e" + i, "page_visit", at, Map.of("url", "/p/" + (i % 50)), "merge", 1,
          at, decision));
      if (page.size() == 5000 || i == count - 1) {
        events.write(id, page);
        page = new ArrayList<>();
      }
    }
  }

  private static Event visit(String id) {
    return new Event(id, "page_visit", Instant.now(), Map.of("url", "/offers"));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static double millis(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static void print(String name, double value, String unit, String how) {
    System.out.println(name + "|" + fmt(value) + "|" + unit + "|" + how);
  }
}
