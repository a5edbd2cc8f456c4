package io.relais.engine.store;

import io.relais.engine.contact.Contact;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * How a contact given to {@code PUT /contacts/{id}} or the bulk load combines with the stored
 * one: profile fields are replaced, rule-managed state is kept unless the request gave it, and
 * the times Relais maintains ({@code createdAt}, {@code lastActivityAt}) are kept unless given.
 *
 * @param givenState names of the rule-managed fields the request carried ({@code score},
 *     {@code stage}, {@code tags}, {@code segments}, {@code tier}, {@code ledger},
 *     {@code enrollments}, {@code alerts})
 */
public record ProfileUpdate(Contact given, Set<String> givenState, boolean createdAtGiven, boolean lastActivityGiven) {

  /** The rule-managed fields of a contact's JSON. */
  public static final Set<String> STATE_FIELDS =
      Set.of("score", "stage", "tags", "segments", "tier", "ledger", "enrollments", "alerts");

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
    return new Contact(g.id(), g.email(), g.firstName(), g.lastName(), g.company(), g.city(), g.country(),
        g.owner(), g.companySize(), g.birthDate(), createdAt, lastActivity,
        pick("score", g.score(), s.score()),
        pick("stage", g.stage(), s.stage()),
        pick("tags", g.tags(), s.tags()),
        pick("segments", g.segments(), s.segments()),
        pick("tier", g.tier(), s.tier()),
        pick("ledger", g.ledger(), s.ledger()),
        pick("enrollments", g.enrollments(), s.enrollments()),
        pick("alerts", g.alerts(), s.alerts()),
        g.attributes(), g.consent());
  }

  private <T> T pick(String field, T fromRequest, T fromStore) {
    return givenState.contains(field) ? fromRequest : fromStore;
  }
}
