package io.relais.engine.actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook subscription: where actions of the given types and channels are delivered (empty:
 * all), and the secrets that sign them, as stored (sealed, {@link SecretBox}).
 */
public record Webhook(String name, String url, List<String> types, List<String> channels, List<Secret> secrets,
    Instant createdAt, Instant updatedAt) {

  /** One signing secret as stored; {@code expiresAt} null for the current one. */
  public record Secret(String stored, Instant createdAt, Instant expiresAt) {}

  public Webhook {
    types = types == null ? List.of() : List.copyOf(types);
    channels = channels == null ? List.of() : List.copyOf(channels);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** Whether an action of {@code type} on {@code channel} goes to this webhook. */
  public boolean wants(String type, String channel) {
    return (types.isEmpty() || types.contains(type)) && (channels.isEmpty() || channels.contains(channel));
  }

  /** The stored secrets that still sign at {@code now}: the current one, and a rotated one for its last day. */
  public List<Secret> signing(Instant now) {
    return secrets.stream().filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(now)).toList();
  }

  Map<String, Object> toDocument() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("name", name);
    document.put("url", url);
    document.put("types", types);
    document.put("channels", channels);
    List<Map<String, Object>> kept = new ArrayList<>();
    for (Secret secret : secrets) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("stored", secret.stored());
      s.put("createdAt", secret.createdAt().toString());
      s.put("expiresAt", secret.expiresAt() == null ? null : secret.expiresAt().toString());
      kept.add(s);
    }
    document.put("secrets", kept);
    document.put("createdAt", createdAt.toString());
    document.put("updatedAt", updatedAt.toString());
    return document;
  }

  @SuppressWarnings("unchecked")
  static Webhook fromDocument(Map<?, ?> document) {
    List<Secret> secrets = new ArrayList<>();
    for (Map<String, Object> s : (List<Map<String, Object>>) document.get("secrets")) {
      secrets.add(new Secret((String) s.get("stored"), Instant.parse((String) s.get("createdAt")),
          s.get("expiresAt") == null ? null : Instant.parse((String) s.get("expiresAt"))));
    }
    return new Webhook((String) document.get("name"), (String) document.get("url"),
        (List<String>) document.get("types"), (List<String>) document.get("channels"), secrets,
        Instant.parse((String) document.get("createdAt")), Instant.parse((String) document.get("updatedAt")));
  }
}
