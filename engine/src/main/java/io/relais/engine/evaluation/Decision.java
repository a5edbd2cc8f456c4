package io.relais.engine.evaluation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decision, as docs/language.md ("What a decision looks like") shows it: a {@code type}, that type's fields, the rule
 * and its {@code file:line}, and the author's {@code because} when there was one.
 */
public record Decision(Type type, Map<String, Object> fields, String rule, String source, String reason) {

  /**
   * The decision types (docs/language.md ("What a decision looks like")); the JSON carries
   * the constant's name, so the wire format is the one documented.
   */
  public enum Type {
    TAG,
    UNTAG,
    SEGMENT_ADD,
    SEGMENT_REMOVE,
    SCORE,
    STAGE,
    ENROLL,
    EXIT,
    MESSAGE,
    POINTS,
    POINTS_EXPIRED,
    TIER,
    REWARD,
    ALERT,
    /** What would have happened ({@code of}) and why it did not ({@code reason}). */
    SUPPRESSED
  }

  public Decision {
    Objects.requireNonNull(type, "type");
    fields = DecisionFields.copyOf(fields);
  }

  /** A decision from alternating field names and values, in the order given. */
  static Decision of(Type type, RuleRef rule, String reason, Object... namesAndValues) {
    return new Decision(type, DecisionFields.of(namesAndValues), rule.name(), rule.source(), reason);
  }

  /** What would have happened, and why it did not. */
  Decision suppressed(String why) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("of", type.name());
    all.put("reason", why);
    all.putAll(fields);
    return new Decision(Type.SUPPRESSED, all, rule, source, null);
  }

  public Object field(String name) {
    return fields.get(name);
  }

  /** The flat JSON object: type, fields, rule, source, reason. */
  @JsonValue
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type.name());
    json.putAll(fields);
    json.put("rule", rule);
    json.put("source", source);
    if (reason != null && !fields.containsKey("reason")) {
      json.put("reason", reason);
    }
    return json;
  }

  /** The rule (or declaration) a decision comes from. */
  public record RuleRef(String name, String source) {}
}
