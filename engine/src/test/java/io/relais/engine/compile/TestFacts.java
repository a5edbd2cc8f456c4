package io.relais.engine.compile;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Facts built by hand for compiler tests. */
final class TestFacts implements Facts {

  Instant now = Instant.parse("2026-11-22T10:00:00Z");
  ZoneId zone = ZoneId.of("UTC");
  final Map<String, Object> fields = new HashMap<>();
  final Map<String, Integer> tags = new HashMap<>();
  final Set<String> segments = new HashSet<>();
  Event event;
  final List<EventFact> history = new ArrayList<>();

  record Event(String type, Instant at, Map<String, Object> attributes) implements EventFact {
    @Override
    public String id() {
      return null;
    }
  }

  TestFacts field(String path, Object value) {
    fields.put(path, value);
    return this;
  }

  TestFacts tag(String tag, int count) {
    tags.put(tag, count);
    return this;
  }

  TestFacts event(String type, String at, Map<String, Object> attributes) {
    event = new Event(type, Instant.parse(at), attributes);
    history.add(event);
    return this;
  }

  TestFacts past(String type, String at, Map<String, Object> attributes) {
    history.add(new Event(type, Instant.parse(at), attributes));
    return this;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  /** How compiler tests bind a field: to its entry in {@link #fields}. */
  static FieldRead read(String jsonPath) {
    return f -> ((TestFacts) f).fields.get(jsonPath);
  }

  @Override
  public int tagCount(String tag) {
    return tags.getOrDefault(tag, 0);
  }

  @Override
  public boolean inSegment(String segment) {
    return segments.contains(segment);
  }

  @Override
  public Optional<EventFact> event() {
    return Optional.ofNullable(event);
  }

  @Override
  public List<EventFact> history() {
    return history;
  }
}
