package io.relais.engine.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.program.Program;
import io.relais.dsl.schema.Schema;
import io.relais.dsl.source.Source;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.FieldRead;
import io.relais.engine.compile.Trace;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every field of the schema has its accessor, each accessor reads its own field, and the
 * compiler binds every field read when the ruleset compiles: evaluating never looks a field up
 * by name again.
 */
class ContactFieldsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void everyFieldOfTheSchemaHasAnAccessorAndNoAccessorLacksAField() {
    assertThat(ContactFields.bound()).containsExactlyInAnyOrderElementsOf(
        Schema.fields().stream().map(Schema.Field::name).toList());
    for (Schema.Field field : Schema.fields()) {
      assertThat(ContactFields.read(field.name())).as(field.name()).isNotNull();
    }
    assertThatThrownBy(() -> ContactFields.read("scroe"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contact.scroe");
  }

  @Test
  void eachAccessorReadsItsOwnField() {
    Contact.Builder b = Contact.builder();
    int n = 0;
    // A distinct value in every profile field: an accessor bound to another slot reads another.
    for (Schema.Field f : Contact.PROFILE) {
      n++;
      b.profile(f.name(), switch (f.type()) {
        case TEXT -> "v" + n;
        case NUMBER -> f.whole() ? (Object) n : BigDecimal.valueOf(n);
        case DATE -> LocalDate.of(1990, 1, n);
        case DATETIME -> NOW.minusSeconds(n);
        case BOOLEAN -> n % 2 == 0;
        case STAGE -> Stage.MQL;
      });
    }
    Contact contact = b.id("c-1").score(42).stage(Stage.SQL).tier("gold")
        .ledger(List.of(new Contact.LedgerLot(BigDecimal.TEN, NOW, null, null, null))).build();
    Event purchase = new Event("p", "purchase", NOW.minusSeconds(86_400 * 3), Map.of("amount", 12));
    ContactFacts facts = new ContactFacts(contact, Optional.empty(), List.of(purchase), NOW, ZoneOffset.UTC);
    for (Schema.Field f : Contact.PROFILE) {
      assertThat(ContactFields.read(f.name()).read(facts)).as(f.name()).isEqualTo(contact.profile(f.name()));
    }
    assertThat(ContactFields.read("score").read(facts)).isEqualTo(42);
    assertThat(ContactFields.read("stage").read(facts)).isEqualTo(Stage.SQL);
    assertThat(ContactFields.read("tier").read(facts)).isEqualTo("gold");
    assertThat(ContactFields.read("age").read(facts)).isEqualTo(facts.age());
    assertThat(ContactFields.read("isBirthday").read(facts)).isEqualTo(facts.isBirthday());
    assertThat(ContactFields.read("points").read(facts)).isEqualTo(BigDecimal.TEN);
    assertThat(ContactFields.read("recency").read(facts)).isEqualTo(BigDecimal.valueOf(3));
    assertThat(ContactFields.read("frequency").read(facts)).isEqualTo(BigDecimal.ONE);
    assertThat(ContactFields.read("monetary").read(facts)).isEqualTo(BigDecimal.valueOf(12));
  }

  @Test
  void everyFieldReadIsBoundWhenTheRulesetCompilesNotWhenItRuns() {
    String condition = Schema.fields().stream().map(f -> "contact." + f.name() + " is not empty")
        .collect(Collectors.joining(" and "));
    CheckedRuleset ruleset = check(condition + " and contact.industry is not empty");
    AtomicInteger binds = new AtomicInteger();
    List<String> bound = new ArrayList<>();
    FieldRead.Binder counting = path -> {
      binds.incrementAndGet();
      bound.add(path);
      return ContactFields.read(path);
    };
    Condition compiled = new ExpressionCompiler(ruleset, counting).condition(rule(ruleset).when());
    assertThat(bound).containsAll(Schema.fields().stream().map(Schema.Field::name).toList())
        .contains("attributes.industry");
    int atCompile = binds.get();
    Contact contact = Contact.builder().id("c-1").attributes(Map.of("industry", "finance")).build();
    Facts facts = new ContactFacts(contact, Optional.empty(), List.of(), NOW, ZoneOffset.UTC);
    for (int i = 0; i < 100; i++) {
      compiled.test(facts, Trace.NONE);
    }
    assertThat(binds.get()).isEqualTo(atCompile);
  }

  @Test
  void aFieldWithoutAnAccessorFailsTheCompilationNotAnEvaluation() {
    CheckedRuleset ruleset = check("contact.city = \"Lyon\"");
    FieldRead.Binder lacking = path -> {
      if (path.equals("city")) {
        throw new IllegalArgumentException("contact.city has no accessor");
      }
      return ContactFields.read(path);
    };
    assertThatThrownBy(() -> new ExpressionCompiler(ruleset, lacking).condition(rule(ruleset).when()))
        .hasMessageContaining("contact.city");
  }

  @Test
  void factsOfferNoReadByFieldName() {
    // Reads by name were switches run on every read; accessors bound at compile time replace them.
    assertThat(Arrays.stream(Facts.class.getMethods())
        .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class
            && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
        .map(java.lang.reflect.Method::getName))
        .doesNotContain("contactField");
    assertThat(Arrays.stream(Facts.EventFact.class.getMethods())
        .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1))
        .isEmpty();
  }

  @Test
  void theBuilderRefusesAValueOfAnotherTypeOrAFieldTheProfileLacks() {
    assertThatThrownBy(() -> Contact.builder().profile("companySize", "12"))
        .hasMessageContaining("contact.companySize holds Integer values, not String");
    assertThatThrownBy(() -> Contact.builder().profile("score", 12))
        .hasMessageContaining("contact.score is not a profile field");
    assertThat(Contact.builder().profile("companySize", 12).build().companySize()).isEqualTo(12);
  }

  private static CheckedRuleset check(String condition) {
    String text = "attribute contact.industry : text\n\nsegment \"Under test\"\nwhen\n  " + condition
        + "\nthen\n  tag \"T\"\nend\n";
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("t.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return checked.ruleset().orElseThrow();
  }

  private static Program.Rule rule(CheckedRuleset ruleset) {
    return ruleset.program().rules().get(0);
  }
}
