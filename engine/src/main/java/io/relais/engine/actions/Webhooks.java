package io.relais.engine.actions;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreCalls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The webhook subscriptions, one document each in {@code <prefix>-webhooks} (id: the name),
 * written conditionally so two administrators changing one subscription at once do not lose a
 * rotation. Actions are fanned out to the subscriptions this instance knows ({@link
 * #subscriptions()}), refreshed from the store by the delivery worker and at once on a local
 * change.
 */
public final class Webhooks {

  /** A subscription's name: what the API's path and the deliveries' ids carry. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  /** The action types a subscription may ask for. */
  public static final Set<String> TYPES = Set.of("MESSAGE", "ALERT");
  /** How long a rotated secret keeps signing. */
  public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
  private static final int MAX_URL = 2048;
  private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final int MAX_SUBSCRIPTIONS = 1000;
  private static final int MAX_ATTEMPTS = 10;

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  private final SecretBox box;
  private final Clock clock;
  private volatile List<Webhook> known = List.of();

  public Webhooks(ElasticsearchStore store, StoreCalls calls, SecretBox box, Clock clock) {
    this.store = store;
    this.calls = calls;
    this.box = box;
    this.clock = clock;
  }

  /** The index's name. */
  public String index() {
    return store.settings().index("webhooks");
  }

  /** What a put did: the subscription, and its secret when it was created (shown this once). */
  public record Put(Webhook webhook, Optional<String> secret) {}

  /**
   * Creates or replaces subscription {@code name}; a replaced one keeps its secrets.
   *
   * @throws IllegalArgumentException for a name, URL, type or channel that cannot be
   */
  public Put put(String name, String url, List<String> types, List<String> channels) {
    checkName(name);
    String checkedUrl = checkUrl(url);
    List<String> checkedTypes = types == null ? List.of() : types.stream().map(Webhooks::checkType).distinct().toList();
    List<String> checkedChannels = channels == null ? List.of()
        : channels.stream().map(Webhooks::checkChannel).distinct().toList();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Instant now = clock.instant();
      Optional<Versioned> current = read(name);
      try {
        if (current.isPresent()) {
          Webhook old = current.get().webhook();
          Webhook next = new Webhook(name, checkedUrl, checkedTypes, checkedChannels, old.secrets(), old.createdAt(), now);
          write(next, current.get());
          return new Put(next, Optional.empty());
        }
        String secret = Signatures.newSecret();
        Webhook created = new Webhook(name, checkedUrl, checkedTypes, checkedChannels,
            List.of(new Webhook.Secret(box.seal(secret), now, null)), now, now);
        write(created, null);
        return new Put(created, Optional.of(secret));
      } catch (ElasticsearchException e) {
        if (e.status() != 409) {
          throw e;
        }
        // Someone changed it between our read and our write: read again.
      }
    }
    throw new IllegalStateException("webhook " + name + " kept changing under us");
  }

  /** Subscription {@code name}, read in real time. */
  public Optional<Webhook> get(String name) {
    return NAME.matcher(name).matches() ? read(name).map(Versioned::webhook) : Optional.empty();
  }

  /** Every subscription, by name, read from the store (searches: changes of the last second may be missing). */
  @SuppressWarnings("rawtypes")
  public List<Webhook> list() {
    SearchResponse<Map> found = calls.read("list webhooks", () -> {
      try {
        return store.client().search(s -> s.index(index()).size(MAX_SUBSCRIPTIONS)
            .sort(o -> o.field(f -> f.field("name"))), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    List<Webhook> out = new ArrayList<>();
    if (found != null) {
      found.hits().hits().forEach(hit -> out.add(Webhook.fromDocument(hit.source())));
    }
    return out;
  }

  /** Deletes subscription {@code name}; false when there was none. Its pending deliveries fail. */
  public boolean delete(String name) {
    if (!NAME.matcher(name).matches()) {
      return false;
    }
    boolean deleted = calls.run("delete webhook", () -> {
      try {
        return store.client().delete(d -> d.index(index()).id(name).refresh(
            co.elastic.clients.elasticsearch._types.Refresh.True)).result()
            == co.elastic.clients.elasticsearch._types.Result.Deleted;
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return false;
        }
        throw e;
      }
    });
    refresh();
    return deleted;
  }

  /**
   * A new secret for {@code name}, returned this once; the previous ones keep signing for {@link
   * #ROTATION_OVERLAP}, so receivers can switch without losing a delivery. Empty: no such subscription.
   */
  public Optional<String> rotate(String name) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Instant now = clock.instant();
      Optional<Versioned> current = NAME.matcher(name).matches() ? read(name) : Optional.empty();
      if (current.isEmpty()) {
        return Optional.empty();
      }
      Webhook old = current.get().webhook();
      List<Webhook.Secret> secrets = new ArrayList<>();
      Instant overlap = now.plus(ROTATION_OVERLAP);
      for (Webhook.Secret s : old.signing(now)) {
        secrets.add(new Webhook.Secret(s.stored(), s.createdAt(),
            s.expiresAt() == null || s.expiresAt().isAfter(overlap) ? overlap : s.expiresAt()));
      }
      String secret = Signatures.newSecret();
      secrets.add(new Webhook.Secret(box.seal(secret), now, null));
      try {
        write(new Webhook(name, old.url(), old.types(), old.channels(), secrets, old.createdAt(), now), current.get());
        return Optional.of(secret);
      } catch (ElasticsearchException e) {
        if (e.status() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("webhook " + name + " kept changing under us");
  }

  /** The secrets that sign deliveries to {@code webhook} at {@code now}, opened. */
  public List<String> signingSecrets(Webhook webhook, Instant now) {
    // Newest first: a receiver that checks only the first signature checks the current secret.
    List<Webhook.Secret> signing = new ArrayList<>(webhook.signing(now));
    signing.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
    return signing.stream().map(s -> box.open(s.stored())).toList();
  }

  /** The subscriptions as this instance last read them. */
  public List<Webhook> subscriptions() {
    return known;
  }

  /** The known subscription {@code name}, if any. */
  public Optional<Webhook> subscription(String name) {
    return known.stream().filter(w -> w.name().equals(name)).findFirst();
  }

  /** Reads the subscriptions again from the store. */
  public void refresh() {
    known = List.copyOf(list());
  }

  private record Versioned(Webhook webhook, long seqNo, long primaryTerm) {}

  @SuppressWarnings("rawtypes")
  private Optional<Versioned> read(String name) {
    GetResponse<Map> found = calls.read("get webhook", () -> {
      try {
        return store.client().get(g -> g.index(index()).id(name).realtime(true), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (found == null || !found.found()) {
      return Optional.empty();
    }
    return Optional.of(new Versioned(Webhook.fromDocument(found.source()), found.seqNo(), found.primaryTerm()));
  }

  // Refreshed at once: the listing and the other instances' next refresh see the change.
  private void write(Webhook webhook, Versioned over) {
    Map<String, Object> document = webhook.toDocument();
    calls.run("put webhook", () -> over == null
        ? store.client().create(c -> c.index(index()).id(webhook.name()).document(document)
            .refresh(co.elastic.clients.elasticsearch._types.Refresh.True))
        : store.client().index(i -> i.index(index()).id(webhook.name()).document(document)
            .ifSeqNo(over.seqNo()).ifPrimaryTerm(over.primaryTerm())
            .refresh(co.elastic.clients.elasticsearch._types.Refresh.True)));
    refresh();
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A webhook's name is 1 to 64 lowercase letters, digits, '-' or '_', "
          + "starting with a letter or digit.");
    }
  }

  /** The URL if it is an absolute http or https URL with a host. */
  static String checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("Give the webhook's url: {\"url\": \"https://...\"}.");
    }
    if (url.length() > MAX_URL) {
      throw new IllegalArgumentException("A webhook's url is at most " + MAX_URL + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("The webhook's url is not a valid URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("A webhook's url must be http:// or https://.");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("A webhook's url needs a host, and no user name or fragment.");
    }
    return url;
  }

  private static String checkType(String type) {
    if (type == null || !TYPES.contains(type)) {
      throw new IllegalArgumentException("A webhook's types are among MESSAGE and ALERT.");
    }
    return type;
  }

  private static String checkChannel(String channel) {
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("A channel is a short lowercase name, such as email, sms or slack.");
    }
    return channel;
  }
}
