package io.relais.engine.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge rules on contacts' values; ContactMergesIT checks them again on the store. */
class ContactMergeTest {

  @Test
  void theFurtherStageWinsAndDisqualifiedOnlyIfTheKeptContactIs() {
    assertThat(ContactMerge.stage("LEAD", "SQL")).isEqualTo(Stage.SQL);
    assertThat(ContactMerge.stage("CUSTOMER", "MQL")).isEqualTo(Stage.CUSTOMER);
    assertThat(ContactMerge.stage("MQL", "DISQUALIFIED")).isEqualTo(Stage.MQL);
    assertThat(ContactMerge.stage("DISQUALIFIED", "CUSTOMER")).isEqualTo(Stage.DISQUALIFIED);
  }

  @Test
  void consentIsTheStrictestExplicitAnswerInAllNineCombinations() {
    Boolean[] answers = {true, false, null};
    for (Boolean a : answers) {
      for (Boolean b : answers) {
        Boolean expected = Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b) ? Boolean.FALSE
            : Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE : null;
        assertThat(ContactMerge.consent(consent(a), consent(b)).get("email")).as(a + " + " + b).isEqualTo(expected);
      }
    }
  }

  @Test
  void aCampaignInBothKeepsTheEarlierActiveEnrollmentAndEndsTheOther() {
    Map<String, Object> a = Map.of("id", "a", "enrollments", List.of(
        enrollment("welcome", "2026-11-10T00:00:00Z", true), enrollment("spring", "2026-03-01T00:00:00Z", false)));
    Map<String, Object> b = Map.of("id", "b", "enrollments", List.of(
        enrollment("welcome", "2026-11-01T00:00:00Z", true), enrollment("leasing", "2026-11-02T00:00:00Z", true)));

    Object merged = ContactMerge.merge(a, b).get("enrollments");

    assertThat(merged).isEqualTo(List.of(
        enrollment("welcome", "2026-11-10T00:00:00Z", false), enrollment("spring", "2026-03-01T00:00:00Z", false),
        enrollment("welcome", "2026-11-01T00:00:00Z", true), enrollment("leasing", "2026-11-02T00:00:00Z", true)));
  }

  @Test
  void messagesSentToEitherIdBothCountAgainstTheCaps() {
    Map<String, Object> sentToA = Map.of("message", "intro", "channel", "email",
        "sendAt", "2026-12-01T10:00:00Z", "campaign", "welcome");
    Map<String, Object> sentToB = Map.of("message", "offer", "channel", "sms",
        "sendAt", "2026-12-02T10:00:00Z", "campaign", "leasing");

    Object merged = ContactMerge.merge(Map.of("id", "a", "messages", List.of(sentToA)),
        Map.of("id", "b", "messages", List.of(sentToB))).get("messages");

    assertThat(merged).isEqualTo(List.of(sentToA, sentToB));
  }

  @Test
  void profileFieldsAreTheKeptContactsWithTheOthersFillingGaps() {
    Map<String, Object> a = new HashMap<>(Map.of("id", "a", "email", "anna@acme.fr",
        "attributes", Map.of("industry", "cars")));
    a.put("city", null);
    Map<String, Object> b = Map.of("id", "b", "email", "visitor@acme.fr", "city", "Lyon", "firstName", "Anna",
        "attributes", Map.of("industry", "boats", "budget", 30000));

    Map<String, Object> merged = ContactMerge.merge(a, b);

    assertThat(merged).containsEntry("id", "a").containsEntry("email", "anna@acme.fr")
        .containsEntry("city", "Lyon").containsEntry("firstName", "Anna")
        .containsEntry("attributes", Map.of("industry", "cars", "budget", 30000));
  }

  private static Map<String, Object> consent(Boolean email) {
    Map<String, Object> consent = new HashMap<>();
    if (email != null) {
      consent.put("email", email);
    }
    return consent;
  }

  private static Map<String, Object> enrollment(String campaign, String at, boolean active) {
    return Map.of("campaign", campaign, "enrolledAt", at, "active", active);
  }

}
