package io.relais.engine.generate;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Contacts and events from a seed: contact {@code n} of seed {@code s} is always the same, so a
 * benchmark or a test can regenerate any part of a million contacts without storing them. The
 * values deliberately include what the language treats specially: missing and empty text, mixed
 * case, DISQUALIFIED, 29 February birthdays, contacts without tags.
 */
public final class ContactGenerator {

  /** Tags the generated contacts carry. */
  public static final List<String> TAGS = List.of("FINANCING_LEASING", "NEWSLETTER", "VIP_INTEREST");
  /** Segments the generated contacts belong to. */
  public static final List<String> SEGMENTS = List.of("VIP", "NEWS");

  private static final String[] FIRST = {"Jean", "Marie", "Ann", "", null, "jean", "Émile", "Zoé"};
  private static final String[] LAST = {"Martin", "Bernard", "Dubois", null, "O'Neil"};
  private static final String[] COMPANY = {"Acme", "ACME Corp", "Globex", "", null, "acme-auto", "Initech"};
  private static final String[] CITY = {"Paris", "Lyon", "Pau", "paris", null, "Paris/Nord", "Lille"};
  private static final String[] COUNTRY = {"FR", "BE", "DE", null, "fr"};
  private static final String[] OWNER = {"marc@acme.fr", "Julie@Acme.fr", null};
  private static final String[] TIER = {"", "", "Silver", "Gold"};
  private static final String[] URLS = {"/financing/leasing/offers", "/financing/credit", "/models/city",
      "/models/suv/prices", "/contact"};

  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final long SPAN_MS = 3L * 365 * 24 * 3600 * 1000;

  private final long seed;

  public ContactGenerator(long seed) {
    this.seed = seed;
  }

  /** The id of contact {@code n}. */
  public static String id(long n) {
    return String.format("c-%08d", n);
  }

  /** Contact number {@code n} (0-based) of this seed. */
  public Contact contact(long n) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
    String first = pick(r, FIRST);
    String last = pick(r, LAST);
    String email = r.nextInt(5) == 0 ? null
        : (first == null || first.isEmpty() ? "x" : first) + "." + n + (r.nextBoolean() ? "@Example.com" : "@example.org");
    Integer companySize = r.nextInt(4) == 0 ? null : 1 + r.nextInt(1000);
    LocalDate birth = switch (r.nextInt(6)) {
      case 0 -> null;
      case 1 -> LocalDate.of(1952 + 4 * r.nextInt(14), 2, 29);
      default -> LocalDate.of(1950, 1, 1).plusDays(r.nextInt(60 * 365));
    };
    Instant created = START.plusMillis(r.nextLong(SPAN_MS));
    Instant active = r.nextInt(3) == 0 ? null : created.plusMillis(r.nextLong(30L * 24 * 3600 * 1000));
    int score = r.nextInt(160) - 10;
    Stage stage = Stage.values()[r.nextInt(Stage.values().length)];
    Map<String, Integer> tags = new LinkedHashMap<>();
    for (String tag : TAGS) {
      if (r.nextInt(3) == 0) {
        tags.put(tag, 1 + r.nextInt(5));
      }
    }
    Set<String> segments = new LinkedHashSet<>();
    for (String segment : SEGMENTS) {
      if (r.nextInt(4) == 0) {
        segments.add(segment);
      }
    }
    Boolean emailConsent = switch (r.nextInt(3)) {
      case 0 -> null;
      case 1 -> Boolean.TRUE;
      default -> Boolean.FALSE;
    };
    Boolean smsConsent = r.nextBoolean() ? null : r.nextBoolean();
    return Contact.builder().id(id(n)).email(email).firstName(first).lastName(last)
        .company(pick(r, COMPANY)).profile("city", pick(r, CITY)).profile("country", pick(r, COUNTRY))
        .owner(pick(r, OWNER)).companySize(companySize).birthDate(birth).createdAt(created)
        .lastActivityAt(active).score(score).stage(stage).tags(tags).segments(segments)
        .tier(pick(r, TIER)).consent(new Contact.Consent(emailConsent, smsConsent)).build();
  }

  /** The events of contact {@code n}: up to {@code max} page visits, e-mail opens and purchases. */
  public List<Event> events(long n, int max, Instant until) {
    SplittableRandom r = new SplittableRandom(seed * 7_000_009L + n);
    int count = r.nextInt(max + 1);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant at = until.minusMillis(r.nextLong(90L * 24 * 3600 * 1000));
      String id = id(n) + "-e" + i;
      events.add(switch (r.nextInt(3)) {
        case 0 -> new Event(id, "email_open", at, Map.of("campaign", "leasing-101", "message", "intro"));
        case 1 -> new Event(id, "purchase", at,
            Map.of("order", "o-" + n + "-" + i, "amount", BigDecimal.valueOf(10 + r.nextInt(500)), "currency", "EUR",
                "items", 1 + r.nextInt(3)));
        default -> new Event(id, "page_visit", at, Map.of("url", pick(r, URLS), "seconds", r.nextInt(300)));
      });
    }
    return events;
  }

  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  /** A {@link Random} for callers that need one, derived from the seed. */
  public Random random(long stream) {
    return new Random(seed ^ (stream * 0x9E3779B97F4A7C15L));
  }
}
