package io.relais.dsl.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void distanceCountsASwapAsOneEdit() {
    assertThat(Suggestions.distance("scroe", "score")).isEqualTo(1);
    assertThat(Suggestions.distance("score", "score")).isZero();
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void suggestsOnlyWhatStillLooksLikeATypo() {
    List<String> fields = List.of("score", "stage", "city", "country");
    assertThat(Suggestions.closest("scroe", fields)).contains("score");
    assertThat(Suggestions.closest("citty", fields)).contains("city");
    assertThat(Suggestions.closest("budget", fields)).isEmpty();
    assertThat(Suggestions.closest("x", List.of("id"))).isEmpty();
  }

  @Test
  void aDifferenceOfCaseAlwaysWins() {
    assertThat(Suggestions.closest("mql", List.of("SQL", "MQL"))).contains("MQL");
  }

  @Test
  void tiesGoToTheFirstCandidate() {
    assertThat(Suggestions.closest("sql", List.of("SQL1", "SQL2"))).contains("SQL1");
  }
}
