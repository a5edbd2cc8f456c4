package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryNeedsTest {

  private static HistoryNeeds needs(String rules) {
    return HistoryNeeds.of(StoreFixture.compile(rules).checked());
  }

  @Test
  void aRulesetWithoutHistoryReadsNothing() {
    HistoryNeeds needs = needs("scoring \"Visit\"\nwhen event is page_visit\nthen add 1 to score\nend\n");

    assertThat(needs.none()).isTrue();
  }

  @Test
  void theLongestWindowPerTypeWins() {
    HistoryNeeds needs = needs("""
        segment "A"
        when count(page_visit within 7 days) >= 3 or count(page_visit where url matches "/x/**" within 2 weeks) > 1
        then tag "A"
        end

        scoring "B"
        when sum(purchase.amount within 30 days) > 100
        then add 1 to score
        end
        """);

    assertThat(needs.windows()).isEqualTo(Map.of(
        "page_visit", Optional.of(Duration.ofDays(14)),
        "purchase", Optional.of(Duration.ofDays(30))));
    assertThat(needs.lastOnly()).isEmpty();
  }

  @Test
  void aCountWithoutWindowReadsTheWholeTypeAndCoversItsLastEvent() {
    HistoryNeeds needs = needs("""
        segment "A"
        when count(email_open) >= 3 and count(email_open within 1 day) >= 1 and days since last email_open < 3
        then tag "A"
        end
        """);

    assertThat(needs.windows()).isEqualTo(Map.of("email_open", Optional.empty()));
    assertThat(needs.lastOnly()).isEmpty();
  }

  @Test
  void daysSinceLastNeedsOnlyTheNewestEvent() {
    HistoryNeeds needs = needs("""
        scoring "Lapsed"
        when days since last purchase > 90
        then subtract 5 from score
        end
        """);

    assertThat(needs.windows()).isEmpty();
    assertThat(needs.lastOnly()).isEqualTo(Set.of("purchase"));
  }

  @Test
  void rfmFieldsReadPurchasesInConditionsTemplatesAndCampaignExits() {
    HistoryNeeds recency = needs("""
        alert "Back"
        when event is page_visit
        then notify "a@b.fr" with "last purchase {{contact.recency}} days ago"
        end
        """);
    HistoryNeeds monetary = needs("""
        nurture "Enroll"
        then enroll in "c"
        end

        campaign "c"
          step "s" after 0 days
          exit when contact.monetary > 1000
        end
        """);

    assertThat(recency.lastOnly()).containsExactly("purchase");
    assertThat(monetary.windows()).isEqualTo(Map.of("purchase", Optional.of(Duration.ofDays(365))));
  }

  @Test
  void aTableInputReadsTheHistoryItCounts() throws Exception {
    String dmn = Files.readString(Path.of("src/test/resources/dmn/fit-grid.dmn"), StandardCharsets.UTF_8);
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("fit-grid.dmn", dmn),
        new Source("test.rules", """
            table "Fit grid" from "fit-grid.dmn"
              input "Industry" = contact.country
              input "Employees" = count(page_visit within 3 days)
            end
            """)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();

    assertThat(HistoryNeeds.of(checked.ruleset().orElseThrow()).windows())
        .isEqualTo(Map.of("page_visit", Optional.of(Duration.ofDays(3))));
  }

  @Test
  void historyInsideOtherValuesAndOperationsIsRead() {
    HistoryNeeds needs = needs("""
        event webinar_attended { minutes: number }

        scoring "Nested"
        when count(purchase where contact.frequency > 2 within 1 day) * 2 > 3
          and (days since last email_open < 3) = true
        then add count(page_visit within 5 days) to score
        end

        segment "Amount"
        then tag "Seen" by sum(purchase.amount within 2 days)
        end

        loyalty "Webinars"
        then
          award count(webinar_attended) points
          send "you last bought {{contact.recency}} days ago"
        end
        """);

    assertThat(needs.windows()).isEqualTo(Map.of(
        "purchase", Optional.of(Duration.ofDays(365)),
        "page_visit", Optional.of(Duration.ofDays(5)),
        "webinar_attended", Optional.empty()));
    assertThat(needs.lastOnly()).containsExactly("email_open", "purchase");
  }

  @Test
  void storedAndDeclaredFieldsReadNoHistory() {
    HistoryNeeds needs = needs("""
        attribute contact.budget : number

        segment "Rich"
        when contact.budget > 10 and contact.score > 1
        then tag "Rich"
        end
        """);

    assertThat(needs.none()).isTrue();
  }
}
