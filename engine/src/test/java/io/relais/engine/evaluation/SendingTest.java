package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Marketing messages in the contact's time zone, outside quiet hours, under frequency caps,
 * with the channel's consent (docs/language.md "Time zones, quiet hours and caps").
 */
class SendingTest {

  private static CompiledRuleset compile(String header, String actions) {
    String text = header + "\nnurture \"Visit\"\nwhen event is page_visit\nthen\n" + actions
        + "\nend\n";
    CheckResult checked = RuleLanguage.check("r", List.of(new Source("r.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  private static Contact contact(String zone) {
    return Contact.builder().profile("id", "c").profile("timeZone", zone)
        .consent(new Contact.Consent(true, true)).build();
  }

  private static Evaluation visit(CompiledRuleset rules, Contact contact, String at) {
    Instant now = Instant.parse(at);
    return rules.evaluate(contact, Optional.of(new Event("e-" + at, "page_visit", now, Map.of())),
        List.of(), now);
  }

  private static List<String> outcomes(Evaluation e) {
    return e.decisions().stream().map(d -> d.type() == Decision.Type.SUPPRESSED
        ? "SUPPRESSED " + d.field("reason") : d.type() + " " + d.field("sendAt")).toList();
  }

  private static final String PARIS_NIGHTS = "timezone \"Europe/Paris\"\nquiet hours 21:00 to 08:00";

  @Test
  void aMessageInsideQuietHoursWaitsForTheirEndInTheContactsZone() {
    CompiledRuleset rules = compile(PARIS_NIGHTS, "send \"hello\"");
    // 23:30 in Paris (UTC+1): quiet until 08:00 Paris the next morning.
    assertThat(outcomes(visit(rules, contact(null), "2026-11-22T22:30:00Z")))
        .containsExactly("MESSAGE 2026-11-23T07:00:00Z");
    // Early morning, before 08:00: the same day's 08:00.
    assertThat(outcomes(visit(rules, contact(null), "2026-11-23T05:00:00Z")))
        .containsExactly("MESSAGE 2026-11-23T07:00:00Z");
    // Outside quiet hours: now.
    assertThat(outcomes(visit(rules, contact(null), "2026-11-23T10:00:00Z")))
        .containsExactly("MESSAGE 2026-11-23T10:00:00Z");
    // 22:30 UTC is 17:30 in New York: not quiet there.
    assertThat(outcomes(visit(rules, contact("America/New_York"), "2026-11-22T22:30:00Z")))
        .containsExactly("MESSAGE 2026-11-22T22:30:00Z");
    // 03:00 UTC is 22:00 in New York: quiet until 08:00 New York (UTC-5) = 13:00 UTC.
    assertThat(outcomes(visit(rules, contact("America/New_York"), "2026-11-23T03:00:00Z")))
        .containsExactly("MESSAGE 2026-11-23T13:00:00Z");
  }

  @Test
  void anUnknownZoneReadsAsTheRulesetsWithAWarning() {
    CompiledRuleset rules = compile(PARIS_NIGHTS, "send \"hello\"");
    Evaluation e = visit(rules, contact("Mars/Olympus"), "2026-11-22T22:30:00Z");
    assertThat(outcomes(e)).containsExactly("MESSAGE 2026-11-23T07:00:00Z");
    assertThat(e.warnings()).anyMatch(w -> w.contains("contact.timeZone \"Mars/Olympus\"")
        && w.contains("Europe/Paris"));
  }

  // Clocks go forward: 02:00 -> 03:00 in Paris on 2026-03-29, 02:00 -> 03:00 in New York on
  // 2026-03-08. A quiet period ending at 02:30 ends at the first time that exists, 03:00.
  @Test
  void aQuietEndThatDoesNotExistMovesForwardInTwoZones() {
    CompiledRuleset rules = compile("quiet hours 22:00 to 02:30", "send \"hello\"");
    // 23:00 Paris (UTC+1) on 28 March.
    assertThat(outcomes(visit(rules, contact("Europe/Paris"), "2026-03-28T22:00:00Z")))
        .containsExactly("MESSAGE 2026-03-29T01:00:00Z"); // 03:00 Paris (UTC+2)
    // 23:00 New York (UTC-5) on 7 March.
    assertThat(outcomes(visit(rules, contact("America/New_York"), "2026-03-08T04:00:00Z")))
        .containsExactly("MESSAGE 2026-03-08T07:00:00Z"); // 03:00 New York (UTC-4)
  }

  // Clocks go back: 03:00 -> 02:00 in Paris on 2026-10-25, 02:00 -> 01:00 in New York on
  // 2026-11-01. A quiet end at 01:30 / 02:30 exists twice: its first occurrence.
  @Test
  void aQuietEndThatExistsTwiceIsItsFirstOccurrenceInTwoZones() {
    CompiledRuleset paris = compile("quiet hours 22:00 to 02:30", "send \"hello\"");
    assertThat(outcomes(visit(paris, contact("Europe/Paris"), "2026-10-24T21:00:00Z")))
        .containsExactly("MESSAGE 2026-10-25T00:30:00Z"); // 02:30 Paris, still UTC+2
    CompiledRuleset york = compile("quiet hours 22:00 to 01:30", "send \"hello\"");
    assertThat(outcomes(visit(york, contact("America/New_York"), "2026-11-01T03:00:00Z")))
        .containsExactly("MESSAGE 2026-11-01T05:30:00Z"); // 01:30 New York, still UTC-4
    // The quiet period itself is read in local time across the change: 08:00 local after a
    // night that lost an hour is 06:00 UTC in Paris (UTC+2), not 07:00.
    CompiledRuleset mornings = compile("quiet hours 21:00 to 08:00", "send \"hello\"");
    assertThat(outcomes(visit(mornings, contact("Europe/Paris"), "2026-03-28T22:00:00Z")))
        .containsExactly("MESSAGE 2026-03-29T06:00:00Z");
  }

  @Test
  void aCapCountsMessagesInRuleOrderAndAcrossEvaluations() {
    CompiledRuleset rules = compile("at most 2 messages per 7 days",
        "send \"one\"\nsend \"two\"\nsend \"three\"");
    Evaluation first = visit(rules, contact(null), "2026-11-22T10:00:00Z");
    assertThat(outcomes(first)).containsExactly("MESSAGE 2026-11-22T10:00:00Z",
        "MESSAGE 2026-11-22T10:00:00Z", "SUPPRESSED frequency cap");
    assertThat(first.resultingContact().messages()).extracting(Contact.SentMessage::message)
        .containsExactly("one", "two");
    // The memory is stored state: it survives the contact's JSON.
    assertThat(Contact.fromJson(first.resultingContact().toJson()).messages())
        .isEqualTo(first.resultingContact().messages());
    // Six days later both still count; eight days later the window is free again and the
    // memory keeps only what can still count.
    assertThat(outcomes(visit(rules, first.resultingContact(), "2026-11-28T10:00:00Z")))
        .containsOnly("SUPPRESSED frequency cap");
    Evaluation later = visit(rules, first.resultingContact(), "2026-11-30T10:00:00Z");
    assertThat(outcomes(later)).containsExactly("MESSAGE 2026-11-30T10:00:00Z",
        "MESSAGE 2026-11-30T10:00:00Z", "SUPPRESSED frequency cap");
    assertThat(later.resultingContact().messages()).extracting(Contact.SentMessage::sendAt)
        .containsOnly(Instant.parse("2026-11-30T10:00:00Z"));
  }

  @Test
  void aChannelCapCountsItsChannelOnlyAndAlertsAreExempt() {
    CompiledRuleset rules = compile(
        "at most 1 message per 1 day via sms\nat most 1 message per 1 day\n"
            + "quiet hours 00:00 to 23:59\n"
            + "alert \"Rep\" when event is page_visit then notify \"rep@acme.fr\" with \"call\" end",
        "send \"a\" via sms\nsend \"b\" via sms");
    Evaluation e = visit(rules, contact("UTC"), "2026-11-22T10:00:00Z");
    // The alert comes after the nurture phase and counts toward no cap, quiet or not.
    assertThat(outcomes(e)).containsExactly("MESSAGE 2026-11-22T23:59:00Z",
        "SUPPRESSED frequency cap", "ALERT null");
    CompiledRuleset email = compile("at most 1 message per 1 day via sms",
        "send \"a\" via sms\nsend \"b\"\nsend \"c\"");
    assertThat(outcomes(visit(email, contact("UTC"), "2026-11-22T10:00:00Z"))).containsExactly(
        "MESSAGE 2026-11-22T10:00:00Z", "MESSAGE 2026-11-22T10:00:00Z",
        "MESSAGE 2026-11-22T10:00:00Z");
  }

  @Test
  void consentIsTheChannelsOwn() {
    CompiledRuleset rules = compile("", "send \"a\" via sms\nsend \"b\"");
    Contact emailOnly = Contact.builder().profile("id", "c")
        .consent(new Contact.Consent(true, false)).build();
    assertThat(outcomes(visit(rules, emailOnly, "2026-11-22T10:00:00Z")))
        .containsExactly("SUPPRESSED no sms consent", "MESSAGE 2026-11-22T10:00:00Z");
  }

  @Test
  void enrollingListsTheStepsWithTheirDueTimesAndDecidesTheStepDueNow() {
    CompiledRuleset rules = compile("""
        quiet hours 21:00 to 08:00
        campaign "leasing-101"
          step "leasing-intro" after 0 days
          step "leasing-benefits" after 3 days
        end""", "enroll in \"leasing-101\"");
    Evaluation e = visit(rules, contact("UTC"), "2026-11-22T22:00:00Z");
    assertThat(e.decisions()).extracting(Decision::type)
        .containsExactly(Decision.Type.ENROLL, Decision.Type.MESSAGE);
    assertThat(e.decisions().get(0).field("steps").toString())
        .contains("leasing-intro", "2026-11-22T22:00:00Z", "leasing-benefits",
            "2026-11-25T22:00:00Z");
    Decision message = e.decisions().get(1);
    assertThat(message.field("campaign")).isEqualTo("leasing-101");
    assertThat(message.field("step")).isEqualTo("leasing-intro");
    assertThat(message.field("dueAt")).hasToString("2026-11-22T22:00:00Z");
    assertThat(message.field("sendAt")).hasToString("2026-11-23T08:00:00Z");
  }
}
