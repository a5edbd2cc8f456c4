package io.relais.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {

  @Test
  void distanceCountsASwapAsOneEdit() {
    assertThat(Suggest.distance("scroe", "score")).isEqualTo(1);
    assertThat(Suggest.distance("score", "score")).isZero();
    assertThat(Suggest.distance("", "abc")).isEqualTo(3);
    assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void suggestsOnlyWhatStillLooksLikeATypo() {
    List<String> fields = List.of("score", "stage", "city", "country");
    assertThat(Suggest.closest("scroe", fields)).contains("score");
    assertThat(Suggest.closest("citty", fields)).contains("city");
    assertThat(Suggest.closest("budget", fields)).isEmpty();
    assertThat(Suggest.closest("x", List.of("id"))).isEmpty();
  }

  @Test
  void aDifferenceOfCaseAlwaysWins() {
    assertThat(Suggest.closest("mql", List.of("SQL", "MQL"))).contains("MQL");
  }

  @Test
  void tiesGoToTheFirstCandidate() {
    assertThat(Suggest.closest("sql", List.of("SQL1", "SQL2"))).contains("SQL1");
  }
}
