package io.relais.engine.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.dsl.ast.Expr.CompareOp;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushDownTest {

  private static final Map<String, String> FILES = Map.of("base.rules", """
      define HOT = 50
      attribute contact.industry : text
      attribute contact.budget : number
      attribute contact.signedOn : date
      """);

  private static NotPushableException refused(String condition) {
    return assertThrows(NotPushableException.class,
        () -> PushDown.translate(AudienceCondition.check("r", FILES, condition)));
  }

  @Test
  void partsThatReadMoreThanStoredFieldsAreNamedWithTheirPosition() {
    NotPushableException history = refused("contact.score > 5 and\n  count(page_visit within 7 days) >= 3");
    assertEquals("count(page_visit within 7 days)", history.part());
    assertEquals("condition:2:3", history.span().position());
    assertTrue(history.getMessage().contains("history"), history.getMessage());
    assertEquals("contact.age", refused("contact.age > 30").part());
    assertEquals("event is page_visit", refused("event is page_visit").part());
    assertTrue(refused("contact.score > contact.companySize").getMessage().contains("two stored numbers"));
    NotPushableException twoFields = refused("contact.score + contact.companySize > 10");
    assertEquals("contact.score + contact.companySize", twoFields.part());
    assertTrue(twoFields.getMessage().contains("script"), twoFields.getMessage());
    assertEquals("10 / contact.score", refused("10 / contact.score > 1").part());
    assertEquals("contact.budget * 2", refused("contact.budget * 2 > 1").part());
    NotPushableException date = refused("contact.signedOn > 2026-01-01");
    assertEquals("contact.signedOn", date.part());
    assertTrue(date.getMessage().contains("zone"), date.getMessage());
  }

  @Test
  void theRefusedPartIsTheOneThatCannotRunAsWritten() {
    NotPushableException between = refused("contact.score between\n  HOT and contact.companySize");
    assertEquals("contact.score between HOT and contact.companySize", between.part());
    assertTrue(between.getMessage().contains("two stored numbers"), between.getMessage());
    NotPushableException item = refused("contact.country in [\"FR\", contact.city]");
    assertEquals("contact.city", item.part());
    assertEquals("condition:1:27", item.span().position());
    assertEquals("contact.city", refused("contact.country contains contact.city").part());
    assertEquals("contact.isBirthday", refused("contact.isBirthday or has tag \"A\"").part());
    assertEquals("has tag \"A\"", refused("(has tag \"A\") = true").part());
    assertEquals("days since last purchase", refused("not (days since last purchase > 3)").part());
    assertEquals("contact.age", refused("contact.age is empty").part());
  }

  @Test
  void storedFieldsTagsSegmentsAndStagesArePushed() {
    String json = PushDown.translate(AudienceCondition.check("r", FILES,
        "contact.score >= HOT and has tag \"X\" and in segment \"VIP\" and contact.stage >= MQL"
            + " and contact.email contains \"acme\"")).toString();
    assertTrue(json.contains("nested"), json);
    assertTrue(json.contains("\"terms\""), json);
    assertTrue(json.contains("wildcard"), json);
  }

  @Test
  void declaredAttributesTextEqualityArithmeticAndComparedFieldsArePushed() {
    for (String condition : List.of("contact.industry = \"cars\"", "contact.budget >= 10.5",
        "contact.email = \"A@b.fr\"", "contact.owner in [\"x@y.fr\"]", "contact.email matches \"*@acme.fr\"",
        "contact.score * 2 + 10 > 50", "100 - contact.companySize / 3 <= HOT",
        "contact.consent.email = contact.consent.sms", "contact.score >= contact.score",
        "contact.stage = contact.stage")) {
      assertTrue(PushDown.translate(AudienceCondition.check("r", FILES, condition)) != null, condition);
    }
    String exact = PushDown.translate(AudienceCondition.check("r", FILES, "contact.email = \"A@b.fr\"")).toString();
    assertTrue(exact.contains("email.exact"), exact);
    String declared = PushDown.translate(AudienceCondition.check("r", FILES, "contact.industry = \"cars\"")).toString();
    assertTrue(declared.contains("attributeValues.name") && declared.contains("attributeValues.text"), declared);
  }

  @Test
  void arithmeticIsSolvedForTheIntegersThatPassWithTheRulesOwnRounding() {
    // 2x + 10 > 51 holds from x = 21; x / 3 <= 2.5 up to x = 7 (7 / 3 = 2.333..., 8 / 3 = 2.666...).
    String doubled = PushDown.translate(AudienceCondition.check("r", FILES, "contact.score * 2 + 10 > 51")).toString();
    assertTrue(doubled.contains("\"gte\":21.0") && !doubled.contains("lte"), doubled);
    String divided = PushDown.translate(AudienceCondition.check("r", FILES, "contact.score / 3 <= 2.5")).toString();
    assertTrue(divided.contains("\"lte\":7.0") && !divided.contains("gte"), divided);
    String negated = PushDown.translate(AudienceCondition.check("r", FILES, "10 - contact.score = 4")).toString();
    assertTrue(negated.contains("\"gte\":6.0") && negated.contains("\"lte\":6.0"), negated);
    assertEquals(PushDown.constant(false).toString(),
        PushDown.translate(AudienceCondition.check("r", FILES, "contact.score / 0 > 1")).toString());
  }

  @Test
  void aConditionWithErrorsGivesDiagnosticsAtTheConditionsOwnPositions() {
    AudienceCondition.InvalidConditionException e = assertThrows(AudienceCondition.InvalidConditionException.class,
        () -> AudienceCondition.check("r", FILES, "contact.scroe > 5"));
    assertEquals(1, e.diagnostics().size());
    assertEquals("condition:1:1", e.diagnostics().get(0).span().position());
  }

  @Test
  void textThatWouldCloseTheRuleAndStartAnotherIsRefused() {
    assertThrows(AudienceCondition.InvalidConditionException.class, () -> AudienceCondition.check("r", FILES,
        "true then tag \"x\" end segment \"y\" when true"));
    assertThrows(AudienceCondition.InvalidConditionException.class, () -> AudienceCondition.check("r", FILES, " "));
  }

  @Test
  void integerBoundsAreRoundedToTheIntegersThatPass() {
    assertEquals(PushDown.integer("s", CompareOp.GE, BigDecimal.valueOf(6)).toString(),
        PushDown.integer("s", CompareOp.GT, new BigDecimal("5.5")).toString());
    assertEquals(PushDown.constant(false).toString(),
        PushDown.integer("s", CompareOp.EQ, new BigDecimal("5.5")).toString());
    assertEquals(PushDown.constant(false).toString(),
        PushDown.integer("s", CompareOp.GT, new BigDecimal("1e12")).toString());
    assertEquals(PushDown.constant(true).toString(),
        PushDown.integer("s", CompareOp.LT, new BigDecimal("1e12")).toString());
  }

  @Test
  void globsBecomeAnchoredRegularExpressionsWithEveryLiteralEscaped() {
    assertEquals("\\/financing\\/[^/]*\\/.*\\.html.", PushDown.globToRegex("/financing/*/**.html?"));
    assertEquals("a\\*b\\?\\\\", PushDown.escapeWildcard("a*b?\\"));
  }

  private static PushDown.Plan plan(String condition) {
    return PushDown.plan(AudienceCondition.check("r", FILES, condition));
  }

  @Test
  void anAndKeepsItsExactTermsInTheQueryAndOnlyTheComparedFieldsInTheResidual() {
    PushDown.Plan plan = plan("contact.score >= 30 and contact.score > contact.companySize");
    assertTrue(plan.residual().orElseThrow() instanceof io.relais.dsl.program.Cond.Compare, plan.toString());
    String query = plan.query().toString();
    assertTrue(query.contains("\"gte\":30") && query.contains("\"exists\":{\"field\":\"companySize\"}"), query);
    assertEquals(java.util.Set.of("score", "companySize"), plan.reads());
    PushDown.Plan declared = plan("contact.industry = \"cars\" and contact.budget > contact.score");
    assertEquals(java.util.Set.of("attributes.budget", "score"), declared.reads());
    assertTrue(declared.query().toString().contains("cars"), declared.query().toString());
  }

  @Test
  void anOrOrANotWithAResidualTermMovesWholeIntoTheResidual() {
    PushDown.Plan or = plan("contact.score >= 30 or contact.score > contact.companySize");
    assertTrue(or.residual().orElseThrow() instanceof io.relais.dsl.program.Cond.Any, or.toString());
    assertEquals(java.util.Set.of("score", "companySize"), or.reads());
    // The candidates are the union of both terms' candidates, never narrowed to the first.
    assertTrue(or.query().toString().contains("should"), or.query().toString());
    PushDown.Plan not = plan("not (contact.score > contact.companySize)");
    assertTrue(not.residual().orElseThrow() instanceof io.relais.dsl.program.Cond.Not, not.toString());
    assertTrue(not.query().toString().contains("match_all"), not.query().toString());
  }

  @Test
  void onlyStoredFieldsMakeAResidualAndExactConditionsHaveNone() {
    assertTrue(plan("contact.score >= 30 and has tag \"A\"").residual().isEmpty());
    assertEquals(java.util.Set.of("attributes.signedOn"), plan("contact.signedOn > 2026-01-01").reads());
    assertTrue(plan("10 / contact.score > 1").residual().isPresent());
    for (String refused : List.of("contact.score > contact.companySize and count(page_visit within 7 days) >= 3",
        "contact.score > contact.companySize or contact.age > 30", "not (contact.score > contact.companySize and event is page_visit)")) {
      NotPushableException e = assertThrows(NotPushableException.class, () -> plan(refused));
      assertTrue(!e.residual(), refused);
    }
  }

  @Test
  void aResidualReadsTheStoredDocumentAsTheEngineReadsTheContact() {
    PushDown.Plan plan = plan("has tag \"VIP\" or contact.score > contact.companySize");
    AudienceCondition checked = AudienceCondition.check("r", FILES, "has tag \"VIP\" or contact.score > contact.companySize");
    Audiences.Residual residual = Audiences.residual(plan, checked.ruleset());
    assertTrue(residual.includes().containsAll(List.of("id", "tags", "score", "companySize")));
    assertTrue(residual.test(Map.of("id", "a", "tags", List.of(Map.of("name", "VIP", "count", 1)))));
    assertTrue(residual.test(Map.of("id", "b", "score", 10, "companySize", 3)));
    assertTrue(!residual.test(Map.of("id", "c", "score", 10)));
    assertTrue(!residual.test(Map.of("id", "d", "score", 3, "companySize", 10)));
  }
}
