package io.relais.features.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
  public void recordHistory(String contactId, List<ObjectNode> events) {
    List<Event> history = histories.computeIfAbsent(contactId, id -> new ArrayList<>());
    events.forEach(e -> history.add(Json.convert(e, Event.class)));
  }

  @Override
  public JsonNode applyEvent(String contactId, ObjectNode json) {
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
  public List<JsonNode> decideDueSteps(String contactId) {
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
  public JsonNode contact(String contactId) {
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
