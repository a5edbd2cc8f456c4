package io.relais.features.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactMerge;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.store.Redemptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine called directly: contacts and histories live in memory for one scenario, and
 * each event's resulting contact becomes the contact the next event sees.
 */
public final class InProcessRelais implements Relais {

  /** Compiling a ruleset takes Drools a while; scenarios with the same files share one. */
  private static final Map<Map<String, String>, CompiledRuleset> COMPILED = new ConcurrentHashMap<>();

  private final Map<String, Contact> contacts = new HashMap<>();
  private final Map<String, List<Event>> histories = new HashMap<>();
  /** Contacts merged into another one: the alias, and the contact it names now. */
  private final Map<String, String> aliases = new HashMap<>();
  private CompiledRuleset ruleset;
  private Instant now;

  @Override
  public void useRuleset(RulesetFiles files) {
    ruleset = COMPILED.computeIfAbsent(files.files(), f -> CompiledRuleset.compile(files.checked(), 1));
  }

  @Override
  public void setNow(Instant now) {
    this.now = now;
  }

  @Override
  public void putContact(String contactId, ObjectNode contact) {
    ObjectNode withId = contact.deepCopy();
    withId.put("id", contactId);
    contacts.put(contactId, Json.convert(withId, Contact.class));
  }

  @Override
  public void recordHistory(String given, List<ObjectNode> events) {
    String contactId = resolve(given);
    List<Event> history = histories.computeIfAbsent(contactId, id -> new ArrayList<>());
    events.forEach(e -> history.add(Json.convert(e, Event.class)));
  }

  @Override
  public JsonNode applyEvent(String given, ObjectNode json) {
    String contactId = resolve(given);
    if (ruleset == null) {
      throw new AssertionError("No ruleset: start the scenario with Given the ruleset \"...\".");
    }
    Event event = Json.convert(json, Event.class);
    Contact contact = contacts.computeIfAbsent(contactId, Contact::withId);
    List<Event> history = histories.computeIfAbsent(contactId, id -> new ArrayList<>());
    Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), List.copyOf(history), now);
    history.add(event);
    contacts.put(contactId, evaluation.resultingContact());
    // As the service answers with ?trace=all: every rule the event could reach (EndToEndRelais).
    return Json.tree(evaluation.toJson(TraceMode.ALL));
  }

  @Override
  public List<JsonNode> decideDueSteps(String given) {
    String contactId = resolve(given);
    Contact contact = contacts.get(contactId);
    List<JsonNode> decided = new ArrayList<>();
    while (contact != null && ruleset != null) {
      Optional<Contact.Enrollment> due = contact.enrollments().stream()
          .filter(e -> e.active() && e.nextDueAt() != null && !e.nextDueAt().isAfter(now)
              && ruleset.declaresCampaign(e.campaign()))
          .min(java.util.Comparator.comparing(Contact.Enrollment::nextDueAt));
      if (due.isEmpty()) {
        break;
      }
      List<Event> history = histories.computeIfAbsent(contactId, id -> new ArrayList<>());
      Evaluation evaluation = ruleset.decideDueSteps(contact, due.get().campaign(),
          List.copyOf(history), now);
      contact = evaluation.resultingContact();
      decided.add(Json.tree(evaluation.toJson(TraceMode.ALL)));
    }
    if (contact != null) {
      contacts.put(contactId, contact);
    }
    return decided;
  }

  @Override
  public JsonNode redeem(String given, String reward) {
    String contactId = resolve(given);
    Contact contact = contacts.computeIfAbsent(contactId, Contact::withId);
    Redemptions.Result result = Redemptions.redeem(contact, reward, ruleset.checked(), now);
    if (!(result instanceof Redemptions.Redeemed redeemed)) {
      throw new AssertionError("Redeeming \"" + reward + "\" failed: " + result);
    }
    contacts.put(contactId, redeemed.contact());
    return Json.tree(Map.of("reward", reward, "cost", redeemed.cost(), "balance", redeemed.balance()));
  }

  @Override
  public void merge(String into, String from) {
    String kept = resolve(into);
    String merged = resolve(from);
    if (kept.equals(merged)) {
      return; // merged before: nothing changes
    }
    Contact a = contacts.computeIfAbsent(kept, Contact::withId);
    Contact b = contacts.computeIfAbsent(merged, Contact::withId);
    contacts.put(kept, ContactMerge.merge(a, b));
    contacts.remove(merged);
    // Every event of both, each once.
    Map<String, Event> history = new LinkedHashMap<>();
    histories.getOrDefault(kept, List.of()).forEach(e -> history.putIfAbsent(e.id(), e));
    histories.getOrDefault(merged, List.of()).forEach(e -> history.putIfAbsent(e.id(), e));
    histories.put(kept, new ArrayList<>(history.values()));
    histories.remove(merged);
    aliases.put(merged, kept);
  }

  private String resolve(String contactId) {
    String id = contactId;
    while (aliases.containsKey(id)) {
      id = aliases.get(id);
    }
    return id;
  }

  @Override
  public JsonNode contact(String given) {
    String contactId = resolve(given);
    Contact contact = contacts.computeIfAbsent(contactId, Contact::withId);
    ObjectNode json = (ObjectNode) Json.tree(contact);
    // The balance is derived: unexpired lots at the clock's time, as the service computes it.
    BigDecimal points = contact.ledger().stream().filter(lot -> !lot.expiredAt(now))
        .map(Contact.LedgerLot::points).reduce(BigDecimal.ZERO, BigDecimal::add);
    json.put("points", points);
    return json;
  }

  @Override
  public String describe() {
    return "in process (the engine called directly)";
  }
}
