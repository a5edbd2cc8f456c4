package io.relais.engine.evaluation;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import java.time.LocalDate;
import java.util.List;

/** Contacts with a given state, for tests. */
final class WorkingStateFixture {
  private Contact c;

  WorkingStateFixture(Contact contact) {
    this.c = contact;
  }

  WorkingStateFixture score(int score) {
    c = c.withState(score, c.stage(), c.tags(), c.segments(), c.tier(), c.ledger(), c.enrollments(), c.alerts());
    return this;
  }

  WorkingStateFixture stage(Stage stage) {
    c = c.withState(c.score(), stage, c.tags(), c.segments(), c.tier(), c.ledger(), c.enrollments(), c.alerts());
    return this;
  }

  WorkingStateFixture tier(String tier) {
    c = c.withState(c.score(), c.stage(), c.tags(), c.segments(), tier, c.ledger(), c.enrollments(), c.alerts());
    return this;
  }

  WorkingStateFixture ledger(List<Contact.LedgerLot> ledger) {
    c = c.withState(c.score(), c.stage(), c.tags(), c.segments(), c.tier(), ledger, c.enrollments(), c.alerts());
    return this;
  }

  WorkingStateFixture birthDate(LocalDate birthDate) {
    c = c.toBuilder().birthDate(birthDate).build();
    return this;
  }

  Contact build() {
    return c;
  }
}
