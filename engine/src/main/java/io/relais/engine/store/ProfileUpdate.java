package io.relais.engine.store;

import io.relais.engine.contact.Contact;
import io.relais.dsl.schema.Schema;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a contact given to {@code PUT /contacts/{id}} or the bulk load combines with the stored
 * one: profile fields are replaced, rule-managed state is kept unless the request gave it, and
 * the times Relais maintains ({@code createdAt}, {@code lastActivityAt}) are kept unless given.
 *
 * @param givenState names of the rule-managed fields the request carried ({@code score},
 *     {@code stage}, {@code tags}, {@code segments}, {@code tier}, {@code ledger},
 *     {@code enrollments}, {@code alerts}, {@code messages})
 */
public record ProfileUpdate(Contact given, Set<String> givenState, boolean createdAtGiven, boolean lastActivityGiven) {

  /** The rule-managed fields of a contact's JSON: the schema's state parts. */
  public static final Set<String> STATE_FIELDS = Arrays.stream(Schema.StatePart.values())
      .map(Schema.StatePart::jsonName).collect(Collectors.toUnmodifiableSet());

  public ProfileUpdate {
    givenState = Set.copyOf(givenState);
  }

  /** The contact to store. */
  public Contact applyTo(Optional<Contact> stored, Instant now) {
    Contact g = given;
    Contact base = stored.orElse(null);
    Instant createdAt = createdAtGiven ? g.createdAt() : base == null ? now : base.createdAt();
    Instant lastActivity = lastActivityGiven ? g.lastActivityAt() : base == null ? null : base.lastActivityAt();
    Contact s = base == null ? Contact.withId(g.id()) : base;
    // The profile and the attributes are the request's; the state is picked part by part.
    return g.toBuilder().createdAt(createdAt).lastActivityAt(lastActivity).invalid(null)
        .score(pick("score", g.score(), s.score()))
        .stage(pick("stage", g.stage(), s.stage()))
        .tags(pick("tags", g.tags(), s.tags()))
        .segments(pick("segments", g.segments(), s.segments()))
        .tier(pick("tier", g.tier(), s.tier()))
        .ledger(pick("ledger", g.ledger(), s.ledger()))
        .enrollments(pick("enrollments", g.enrollments(), s.enrollments()))
        .alerts(pick("alerts", g.alerts(), s.alerts()))
        .messages(pick("messages", g.messages(), s.messages()))
        .build();
  }

  private <T> T pick(String field, T fromRequest, T fromStore) {
    return givenState.contains(field) ? fromRequest : fromStore;
  }
}
