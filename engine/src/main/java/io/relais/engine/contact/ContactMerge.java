package io.relais.engine.contact;

import io.relais.dsl.ast.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One person, one contact: what contact {@code A} becomes when contact {@code B} is merged into
 * it (docs/api.md "Identity"). Works on the contacts' JSON ({@link Contact#toJson()}), so a
 * profile field or a consent channel added later is merged by the same rule without a change
 * here: every field that is not rule-managed state is a profile field.
 */
public final class ContactMerge {

  /** The fields merged by a rule of their own; every other field is profile (A's, B's filling). */
  private static final Set<String> STATE = Set.of("id", "createdAt", "lastActivityAt", "score", "stage",
      "tags", "segments", "tier", "ledger", "enrollments", "alerts", "messages", "attributes", "consent");

  private ContactMerge() {}

  /** {@code b} merged into {@code a}: the contact {@code a} becomes. */
  public static Contact merge(Contact a, Contact b) {
    return Contact.fromJson(merge(a.toJson(), b.toJson()));
  }

  /** The JSON form of {@link #merge(Contact, Contact)}. */
  public static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>();
    // Profile fields: A's values, with B's filling what A lacks.
    a.forEach((field, value) -> {
      if (!STATE.contains(field) && value != null) {
        out.put(field, value);
      }
    });
    b.forEach((field, value) -> {
      if (!STATE.contains(field) && value != null) {
        // A group of profile fields (the schema's dotted fields): field by field.
        out.merge(field, value, (mine, theirs) -> mine instanceof Map<?, ?> && theirs instanceof Map<?, ?>
            ? filled(map(mine), map(theirs)) : mine);
      }
    });
    out.put("id", a.get("id"));
    putIfSet(out, "createdAt", earlier(a.get("createdAt"), b.get("createdAt")));
    putIfSet(out, "lastActivityAt", later(a.get("lastActivityAt"), b.get("lastActivityAt")));
    out.put("score", number(a.get("score")) + number(b.get("score")));
    out.put("stage", stage(a.get("stage"), b.get("stage")).name());
    out.put("tags", tags(a.get("tags"), b.get("tags")));
    Set<Object> segments = new LinkedHashSet<>(list(a.get("segments")));
    segments.addAll(list(b.get("segments")));
    out.put("segments", new ArrayList<>(segments));
    // The tier is recomputed by the contact's next evaluation, from the merged ledger.
    putIfSet(out, "tier", a.get("tier"));
    List<Object> ledger = new ArrayList<>(list(a.get("ledger")));
    ledger.addAll(list(b.get("ledger")));
    out.put("ledger", ledger);
    out.put("enrollments", enrollments(list(a.get("enrollments")), list(b.get("enrollments"))));
    out.put("alerts", alerts(map(a.get("alerts")), map(b.get("alerts"))));
    // Messages sent to either id went to the one person: both count against the caps.
    List<Object> messages = new ArrayList<>(list(a.get("messages")));
    messages.addAll(list(b.get("messages")));
    if (!messages.isEmpty()) {
      out.put("messages", messages);
    }
    Map<String, Object> attributes = new LinkedHashMap<>(map(a.get("attributes")));
    map(b.get("attributes")).forEach(attributes::putIfAbsent);
    out.put("attributes", attributes);
    out.put("consent", consent(map(a.get("consent")), map(b.get("consent"))));
    return out;
  }

  // A's values, with B's where A has none.
  private static Map<String, Object> filled(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>(a);
    b.forEach((key, value) -> {
      if (out.get(key) == null && value != null) {
        out.put(key, value);
      }
    });
    return out;
  }

  /** The further of the two in the funnel; {@code DISQUALIFIED} only if A is. */
  static Stage stage(Object a, Object b) {
    Stage first = Stage.named(String.valueOf(a)).orElse(Stage.LEAD);
    Stage second = Stage.named(String.valueOf(b)).orElse(Stage.LEAD);
    if (!first.isOrdered() || !second.isOrdered()) {
      return first;
    }
    return second.ordinal() > first.ordinal() ? second : first;
  }

  private static Map<String, Object> tags(Object a, Object b) {
    Map<String, Object> tags = new LinkedHashMap<>(map(a));
    map(b).forEach((name, count) -> tags.merge(name, count, (x, y) -> number(x) + number(y)));
    return tags;
  }

  /**
   * Both contacts' enrollments; for a campaign active in both, the earlier enrollment stays
   * active (its steps keep their due times) and the other is ended, with no decision: the merge
   * decides nothing, so no {@code EXIT} is sent.
   */
  private static List<Object> enrollments(List<Object> a, List<Object> b) {
    List<Object> all = new ArrayList<>(a);
    all.addAll(b);
    Map<String, Integer> activeAt = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Map<String, Object> e = map(all.get(i));
      if (Boolean.TRUE.equals(e.get("active"))) {
        String campaign = String.valueOf(e.get("campaign"));
        Integer other = activeAt.get(campaign);
        if (other == null) {
          activeAt.put(campaign, i);
        } else if (instant(e.get("enrolledAt")).isBefore(instant(map(all.get(other)).get("enrolledAt")))) {
          all.set(other, ended(map(all.get(other))));
          activeAt.put(campaign, i);
        } else {
          all.set(i, ended(e));
        }
      }
    }
    return all;
  }

  private static Map<String, Object> ended(Map<String, Object> enrollment) {
    Map<String, Object> out = new LinkedHashMap<>(enrollment);
    out.put("active", false);
    return out;
  }

  // Alert memories: both; for a rule in both, the later sending, so throttles count from it.
  private static Map<String, Object> alerts(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> alerts = new LinkedHashMap<>(a);
    b.forEach((rule, at) -> alerts.merge(rule, at, ContactMerge::later));
    return alerts;
  }

  /**
   * Per channel, the strictest explicit answer: {@code false} if either says {@code false},
   * else {@code true} if either says {@code true}, else empty.
   */
  static Map<String, Object> consent(Map<String, Object> a, Map<String, Object> b) {
    Set<String> channels = new LinkedHashSet<>(a.keySet());
    channels.addAll(b.keySet());
    Map<String, Object> out = new LinkedHashMap<>();
    for (String channel : channels) {
      Object x = a.get(channel);
      Object y = b.get(channel);
      if (Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y)) {
        out.put(channel, false);
      } else if (Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y)) {
        out.put(channel, true);
      }
    }
    return out;
  }

  private static Object earlier(Object a, Object b) {
    return a == null ? b : b == null ? a : instant(b).isBefore(instant(a)) ? b : a;
  }

  private static Object later(Object a, Object b) {
    return a == null ? b : b == null ? a : instant(b).isAfter(instant(a)) ? b : a;
  }

  private static Instant instant(Object value) {
    return value instanceof Instant i ? i : value == null ? Instant.MAX : Instant.parse(String.valueOf(value));
  }

  private static int number(Object value) {
    return value instanceof Number n ? n.intValue() : 0;
  }

  private static void putIfSet(Map<String, Object> out, String field, Object value) {
    if (value != null) {
      out.put(field, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
