package io.relais.engine.contact;

import io.relais.dsl.ast.ValueType;
import io.relais.engine.compile.Coercion;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.PhaseMemo;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One contact as every rule of one phase sees it: immutable, at one instant, in the ruleset's
 * zone. Derived fields are computed on demand from the state and the history.
 */
public record ContactFacts(
    Contact contact,
    Optional<Event> triggering,
    List<Event> events,
    Instant now,
    ZoneId zone,
    Set<String> warnings,
    Map<String, Object> aggregates,
    PhaseMemo memo)
    implements Facts {

  private static final Object EMPTY = new Object();

  private static final long YEAR_DAYS = 365;

  public ContactFacts {
    events = List.copyOf(events);
  }

  /** A snapshot whose warnings about values of the wrong type go nowhere. */
  public ContactFacts(
      Contact contact, Optional<Event> triggering, List<Event> events, Instant now, ZoneId zone) {
    this(contact, triggering, events, now, zone, new java.util.LinkedHashSet<>());
  }

  /** A snapshot that adds its warnings to {@code warnings}. */
  public ContactFacts(Contact contact, Optional<Event> triggering, List<Event> events,
      Instant now, ZoneId zone, Set<String> warnings) {
    this(contact, triggering, events, now, zone, warnings, new java.util.HashMap<>(), new PhaseMemo());
  }

  /**
   * The same snapshot, adding its warnings to {@code warnings} and keeping what it computes in
   * {@code aggregates} and {@code memo}: to evaluate conditions again, or apart, without
   * sharing (or while sharing) what this one remembers.
   */
  public ContactFacts with(Set<String> warnings, Map<String, Object> aggregates, PhaseMemo memo) {
    return new ContactFacts(contact, triggering, events, now, zone, warnings, aggregates, memo);
  }

  /** The same snapshot, with {@code warnings} and a memory of its own (nothing computed yet). */
  public ContactFacts withFreshMemory(Set<String> warnings) {
    return with(warnings, new java.util.HashMap<>(), new PhaseMemo());
  }

  /**
   * History aggregates are the same for every rule of a phase: the first rule to need one
   * computes it, the others reuse it (keyed by the expression's canonical text).
   */
  @Override
  public Object remember(String key, java.util.function.Function<Facts, Object> compute) {
    Object known = aggregates.get(key);
    if (known == null) {
      Object value = compute.apply(this);
      aggregates.put(key, value == null ? EMPTY : value);
      return value;
    }
    return known == EMPTY ? null : known;
  }

  /** The warning for a contact field whose JSON value had the wrong type. */
  public static String invalidField(String jsonName, Object raw) {
    ValueType type = ContactJson.typeOf(jsonName);
    return type == null
        ? "contact." + jsonName + " is " + Coercion.shown(raw) + ", not "
            + (jsonName.equals("segments") || jsonName.equals("ledger")
                || jsonName.equals("enrollments") ? "a list" : "an object") + ": read as empty"
        : Coercion.warning("contact." + jsonName, raw, type);
  }

  @Override
  public void invalid(String field, Object value, ValueType type) {
    warnings.add(Coercion.warning(field, value, type));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Optional<EventFact> event() {
    // An Optional<Event> is an Optional<EventFact>: no new Optional per read.
    return (Optional<EventFact>) (Optional<? extends EventFact>) triggering;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<EventFact> history() {
    // events is immutable (List.copyOf above): no view needed.
    return (List<EventFact>) (List<? extends EventFact>) events;
  }

  @Override
  public int tagCount(String tag) {
    return contact.tags().getOrDefault(tag, 0);
  }

  @Override
  public boolean inSegment(String segment) {
    return contact.segments().contains(segment);
  }

  private LocalDate today() {
    return io.relais.engine.compile.LocalTimes.date(now, zone);
  }

  /** Whole years at {@code now}, in the ruleset's zone. */
  public Integer age() {
    LocalDate birth = contact.birthDate();
    return birth == null ? null : Period.between(birth, today()).getYears();
  }

  /** 29 February birthdays are kept on 28 February in other years. */
  public Boolean isBirthday() {
    LocalDate birth = contact.birthDate();
    if (birth == null) {
      return null;
    }
    LocalDate today = today();
    MonthDay day = MonthDay.from(birth);
    if (day.equals(MonthDay.of(2, 29)) && !today.isLeapYear()) {
      day = MonthDay.of(2, 28);
    }
    return MonthDay.from(today).equals(day);
  }

  /** The unexpired balance. */
  public BigDecimal points() {
    return contact.ledger().stream()
        .filter(lot -> !lot.expiredAt(now))
        .map(Contact.LedgerLot::points)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  // The triggering event counts whatever its `at` (docs/language.md ("Conditions")); dated after now, it
  // happened now.
  private boolean isTriggering(Event e) {
    return triggering.isPresent() && triggering.get() == e;
  }

  private Instant at(Event e) {
    return isTriggering(e) && e.at().isAfter(now) ? now : e.at();
  }

  /** Days since the last purchase, empty if none. */
  public BigDecimal recency() {
    return events.stream()
        .filter(e -> e.type().equals("purchase") && !at(e).isAfter(now))
        .map(this::at)
        .max(Instant::compareTo)
        .map(last -> BigDecimal.valueOf(io.relais.engine.compile.LocalTimes.daysBetween(last, now, zone)))
        .orElse(null);
  }

  private java.util.stream.Stream<Event> purchasesInLastYear() {
    Instant since = now.minus(YEAR_DAYS, ChronoUnit.DAYS);
    return events.stream()
        .filter(e -> e.type().equals("purchase")
            && (isTriggering(e) || (!e.at().isAfter(now) && !e.at().isBefore(since))));
  }

  /** Purchases in the last 365 days. */
  public long frequency() {
    return purchasesInLastYear().count();
  }

  /** The sum of purchase.amount over the last 365 days. */
  public BigDecimal monetary() {
    return purchasesInLastYear()
        .map(e -> Coercion.number(e.attributes().get("amount")))
        .filter(BigDecimal.class::isInstance)
        .map(BigDecimal.class::cast)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
