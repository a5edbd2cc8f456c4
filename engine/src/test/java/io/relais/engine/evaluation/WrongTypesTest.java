package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docs/language.md ("Rules, kinds and phases"): data of the wrong type never fails a decision. */
class WrongTypesTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static final CompiledRuleset RULES = Rulesets.compile("""
      attribute contact.renewal : date
      attribute contact.budget : number

      scoring "Big purchase"
      when event is purchase and event.amount > 10
      then add 1 to score
      end

      scoring "Spender"
      when sum(purchase.amount) >= 12
      then add 10 to score
      end

      scoring "Renewal soon"
      when contact.renewal < 2026-12-31
      then add 100 to score
      end

      scoring "Budget"
      when contact.budget > 1000
      then add 1000 to score
      end

      scoring "Mid-size"
      when contact.companySize between 10 and 500
      then add 10000 to score
      end
      """);

  private static Event purchase(Object amount) {
    return new Event("e-1", "purchase", NOW, Map.of("amount", amount));
  }

  private static Evaluation run(Contact contact, Event event) {
    return RULES.evaluate(contact, Optional.ofNullable(event), List.of(), NOW);
  }

  private static List<String> fired(Evaluation e) {
    return e.trace().stream().filter(Evaluation.TraceEntry::fired)
        .map(Evaluation.TraceEntry::rule).toList();
  }

  @Test
  void aNumberSentAsTextReadsAsTheNumber() {
    Evaluation e = run(Contact.withId("c-1"), purchase("12"));
    assertThat(fired(e)).containsExactly("Big purchase", "Spender");
    assertThat(e.warnings()).isEmpty();
  }

  @Test
  void aValueThatIsNoNumberReadsAsEmptyAndIsNamedInTheWarnings() {
    Evaluation e = run(Contact.withId("c-1"), purchase("twelve"));
    assertThat(fired(e)).isEmpty();
    assertThat(e.warnings()).containsExactlyInAnyOrder(
        "event.amount is \"twelve\", not a number: read as empty",
        "purchase.amount is \"twelve\", not a number: read as empty");
    Evaluation nested = run(Contact.withId("c-1"), purchase(Map.of("value", 12)));
    assertThat(fired(nested)).isEmpty();
    assertThat(nested.warnings()).hasSize(2);
  }

  @Test
  void isoTextForADeclaredDateReadsAsTheDate() throws Exception {
    Contact contact = JSON.readValue("""
        {"id": "c-1", "attributes": {"renewal": "2026-12-01", "budget": "1500.50"}}
        """, Contact.class);
    Evaluation e = run(contact, null);
    assertThat(fired(e)).containsExactly("Renewal soon", "Budget");
    assertThat(e.warnings()).isEmpty();
  }

  @Test
  void aDeclaredAttributeOfTheWrongTypeIsNamedInTheWarnings() throws Exception {
    Contact contact = JSON.readValue("""
        {"id": "c-1", "attributes": {"renewal": "next year", "budget": true}}
        """, Contact.class);
    Evaluation e = run(contact, null);
    assertThat(fired(e)).isEmpty();
    assertThat(e.warnings()).containsExactly(
        "contact.renewal is \"next year\", not a date (2026-11-27): read as empty",
        "contact.budget is true, not a number: read as empty");
  }

  @Test
  void contactJsonOfTheWrongTypesIsReadAndTheDecisionWarns() throws Exception {
    Contact contact = JSON.readValue("""
        {"id": "c-1", "companySize": "12", "birthDate": "garbage", "score": "x",
         "stage": "nowhere", "consent": {"email": "yes"}, "tags": {"A": "3", "B": "many"},
         "segments": "VIP", "createdAt": 12, "ledger": [{"points": "ten"}], "unknown": [1]}
        """, Contact.class);
    assertThat(contact.companySize()).isEqualTo(12);
    assertThat(contact.birthDate()).isNull();
    assertThat(contact.score()).isZero();
    assertThat(contact.stage()).isEqualTo(Stage.LEAD);
    assertThat(contact.tags()).containsExactly(Map.entry("A", 3));
    Evaluation e = run(contact, null);
    assertThat(fired(e)).containsExactly("Mid-size");
    // In the schema's order: the profile, then the state.
    assertThat(e.warnings()).containsExactly(
        "contact.birthDate is \"garbage\", not a date (2026-11-27): read as empty",
        "contact.createdAt is 12, not a date-time (2026-11-27T10:00:00Z): read as empty",
        "contact.consent.email is \"yes\", not true or false: read as empty",
        "contact.score is \"x\", not a number: read as empty",
        "contact.stage is \"nowhere\", not a stage: read as empty",
        "contact.tags.B is \"many\", not a number: read as empty",
        "contact.segments is \"VIP\", not a list: read as empty",
        "contact.ledger[].points is \"ten\", not a number: read as empty");
  }

  @Test
  void valuesOfTheWrongTypeAreNotWrittenBack() throws Exception {
    Contact contact = JSON.readValue("""
        {"id": "c-1", "companySize": "abc", "birthDate": "1990-02-03", "score": 7}
        """, Contact.class);
    assertThat(contact.birthDate()).isEqualTo(LocalDate.of(1990, 2, 3));
    Map<String, Object> written = JSON.readValue(JSON.writeValueAsString(contact),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    // The store's mapping types companySize as a number: "abc" would fail the whole write.
    assertThat(written).doesNotContainKey("companySize");
    assertThat(written.get("birthDate")).isEqualTo("1990-02-03");
    assertThat(written.get("score")).isEqualTo(7);
    assertThat(written).doesNotContainKey("invalid");
    assertThat(JSON.readValue(JSON.writeValueAsString(contact), Contact.class).invalid()).isEmpty();
  }
}
