package io.relais.features.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Relais as a scenario sees it: set the clock and the ruleset, store a contact, record its
 * past, apply one event, read the contact back. One instance per scenario; contacts keep their
 * state from one event to the next, as in production.
 */
public interface Relais extends AutoCloseable {

  /** The ruleset events are evaluated with from now on. */
  void useRuleset(RulesetFiles ruleset);

  /** Sets the clock every later call reads (the service's clock, end to end). */
  void setNow(Instant now);

  /**
   * Stores a contact, as {@code PUT /contacts/{id}} takes it: profile fields and, when given,
   * rule-managed state (score, stage, tags, segments, tier, ledger...).
   */
  void putContact(String contactId, ObjectNode contact);

  /** Records past events without evaluating any rule for them. */
  void recordHistory(String contactId, List<ObjectNode> events);

  /**
   * Records one event and evaluates the ruleset with it; the decision's state changes are
   * applied to the contact. Answers the decision JSON of docs/language.md (decisions, contact,
   * warnings, and the trace of every rule the event could reach: {@code trace=all}).
   */
  JsonNode applyEvent(String contactId, ObjectNode event);

  /**
   * Redeems a reward of the ruleset, as {@code POST /contacts/{id}/rewards/{reward}/redeem}:
   * answers {@code reward}, {@code cost} and the {@code balance} left.
   */
  JsonNode redeem(String contactId, String reward);

  /**
   * Merges contact {@code from} into contact {@code into}, as {@code POST /contacts/{into}/merge}:
   * from then on {@code from} is an alias, and everything sent to it lands on {@code into}.
   */
  void merge(String into, String from);

  /** The contact as {@code GET /contacts/{id}} shows it: profile and state, points included. */
  /**
   * Decides the campaign steps of the contact that are due at the current time, as the
   * service's due-step scheduler does; the decision JSON of each, in order.
   */
  List<JsonNode> decideDueSteps(String contactId);

  JsonNode contact(String contactId);

  /** How this driver reaches Relais, for failure messages. */
  String describe();

  @Override
  default void close() {}
}
