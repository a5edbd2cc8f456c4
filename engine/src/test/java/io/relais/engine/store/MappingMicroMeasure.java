package io.relais.engine.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.RuleLanguage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.contact.JsonValues;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.testing.JsonSamples;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A quick before/after measure of the mappings on every event's path, by hand against the
 * object mapper's {@code convertValue} they replaced: 100,000 of each, timed and printed (not a
 * test, no assertion; docs/performance.md quotes a run). Run from the engine module with the
 * test classpath: {@code java -cp ... io.relais.engine.store.MappingMicroMeasure}.
 */
public final class MappingMicroMeasure {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int N = 100_000;
  private static final int ROUNDS = 8;

  private MappingMicroMeasure() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = JsonSamples.storeMapper();
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    CompiledRuleset rules = CompiledRuleset.compile(
        RuleLanguage.check(RuleLanguage.load(Path.of("..", "rules", "acme-auto"))).ruleset().orElseThrow(), 1);
    // A pool of realistic inputs: contacts as the store holds them, and their evaluations on a
    // page visit (decisions, the trace written once, as both paths read it).
    JsonSamples samples = new JsonSamples(new Random(1));
    List<Contact> contacts = new ArrayList<>();
    List<Evaluation> evaluations = new ArrayList<>();
    List<Map<String, Object>> stored = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Contact contact = samples.contact();
      contacts.add(contact);
      Evaluation e = rules.evaluate(contact, Optional.of(new Event("e-" + i, "page_visit", now,
          Map.of("url", "/financing/leasing/offers", "seconds", 40))), List.of(), now);
      e.trace().forEach(Evaluation.TraceEntry::why);
      evaluations.add(e);
      // The contact's part of a stored document (as fromDocument hands it over), read back.
      stored.add(json.readValue(json.writeValueAsString(contact.toJson()), MAP));
    }
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      measure(times, "Evaluation to its JSON map: convertValue", evaluations, e -> json.convertValue(e, MAP));
      measure(times, "Evaluation to its JSON map: by hand     ", evaluations, e -> e.toJson(TraceMode.ALL));
      measure(times, "Contact to its JSON map:    convertValue", contacts, c -> json.convertValue(c, MAP));
      measure(times, "Contact to its JSON map:    by hand     ", contacts, Contact::toJson);
      measure(times, "Contact from a stored map:  convertValue", stored, d -> json.convertValue(d, Contact.class));
      measure(times, "Contact from a stored map:  by hand     ", stored,
          d -> JsonValues.isPlain(d) ? Contact.fromJson(d) : json.convertValue(d, Contact.class));
    }
    System.out.printf("median of %d rounds (the first is warm-up) of %,d mappings, microseconds per mapping:%n",
        ROUNDS - 1, N);
    times.forEach((what, list) -> {
      List<Double> sorted = list.subList(1, list.size()).stream().sorted().toList();
      System.out.printf("  %s %7.2f%n", what, sorted.get(sorted.size() / 2));
    });
  }

  private static <T> void measure(Map<String, List<Double>> times, String what, List<T> inputs,
      Function<T, Object> mapping) {
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < N; i++) {
      sink += System.identityHashCode(mapping.apply(inputs.get(i % inputs.size())));
    }
    double micros = (System.nanoTime() - start) / 1_000.0 / N;
    times.computeIfAbsent(what, k -> new ArrayList<>()).add(micros + (sink == 42 ? 1e-9 : 0));
  }
}
