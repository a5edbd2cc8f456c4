package io.relais.engine.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recorded decision as JSON: the answer of its event, kept in the contact's outbox entry and
 * in the event's document. A decision made now is written out once, as text, and that text is
 * what the answer, the outbox entry and the event document carry (before, each of the three wrote
 * the same map out again). A decision read back from the store stays the map it was read as, and
 * is written out only if it is written again.
 *
 * <p>Immutable; the form not given is computed on first use.
 */
public final class DecisionJson implements JsonSerializable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final DecisionJson EMPTY = new DecisionJson(Map.of(), "{}");

  private volatile Map<String, Object> map;
  private volatile String text;

  private DecisionJson(Map<String, Object> map, String text) {
    this.map = map;
    this.text = text;
  }

  /**
   * A decision made now, of plain JSON values ({@code Evaluation.toJson()}): written out at once,
   * since its answer and its store writes all need the text.
   */
  public static DecisionJson of(Map<String, Object> decision) {
    Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(decision));
    try {
      return new DecisionJson(copy, JSON.writeValueAsString(copy));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a decision of plain JSON values: " + e.getOriginalMessage(), e);
    }
  }

  /** A decision as read from a stored document ({@code null}, from a document without one: empty). */
  public static DecisionJson stored(Map<String, Object> decision) {
    return decision == null || decision.isEmpty()
        ? EMPTY
        : new DecisionJson(Collections.unmodifiableMap(new LinkedHashMap<>(decision)), null);
  }

  /** The decision as JSON values (read only). */
  public Map<String, Object> map() {
    Map<String, Object> known = map;
    if (known == null) {
      try {
        known = Collections.unmodifiableMap(JSON.readValue(text, MAP));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e); // our own text: cannot happen
      }
      map = known;
    }
    return known;
  }

  /** The decision as JSON text. */
  public String text() {
    String known = text;
    if (known == null) {
      try {
        known = JSON.writeValueAsString(map);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e); // plain values read from JSON: cannot happen
      }
      text = known;
    }
    return known;
  }

  /**
   * The answer of an event: this decision's object with {@code "replayed"} as its last field,
   * in UTF-8 ({@code EventRecorder.Outcome.json()} in bytes, without writing the decision again).
   */
  public byte[] answer(boolean replayed) {
    String json = text();
    int close = json.lastIndexOf('}');
    boolean empty = json.substring(json.indexOf('{') + 1, close).isBlank();
    String field = (empty ? "" : ",") + "\"replayed\":" + replayed + "}";
    return (json.substring(0, close) + field).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Written as its text when it has one, without walking the map again. A token buffer
   * ({@code ObjectMapper.convertValue}) would keep raw text as an opaque value, so it gets the
   * map's structure.
   */
  @Override
  public void serialize(JsonGenerator out, SerializerProvider serializers) throws IOException {
    String known = text;
    if (known != null && !(out instanceof TokenBuffer)) {
      out.writeRawValue(known);
    } else {
      serializers.defaultSerializeValue(map(), out);
    }
  }

  @Override
  public void serializeWithType(JsonGenerator out, SerializerProvider serializers, TypeSerializer type)
      throws IOException {
    serialize(out, serializers);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DecisionJson that && map().equals(that.map());
  }

  @Override
  public int hashCode() {
    return map().hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
