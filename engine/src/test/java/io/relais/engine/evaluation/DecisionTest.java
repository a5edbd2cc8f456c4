package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionTest {

  private static final Decision.RuleRef RULE = new Decision.RuleRef("Leasing pages", "segments.rules:4");

  @Test
  void theJsonCarriesTheTypeAsTextInTheDocumentedOrder() {
    Decision tag = Decision.of(Decision.Type.TAG, RULE, null, "tag", "X", "delta", 1, "count", 3);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("type", "TAG");
    expected.put("tag", "X");
    expected.put("delta", 1);
    expected.put("count", 3);
    expected.put("rule", "Leasing pages");
    expected.put("source", "segments.rules:4");
    assertThat(tag.json()).containsExactlyEntriesOf(expected);
  }

  @Test
  void aSuppressedDecisionNamesWhatItWouldHaveBeenAsText() {
    Decision enroll = Decision.of(Decision.Type.ENROLL, RULE, "hot", "campaign", "c");

    Map<String, Object> json = enroll.suppressed("no email consent").json();

    assertThat(json.get("type")).isEqualTo("SUPPRESSED");
    assertThat(json.get("of")).isEqualTo("ENROLL");
    assertThat(json.get("reason")).isEqualTo("no email consent");
  }

  @Test
  void everyTypeIsDocumented() throws Exception {
    String language = Files.readString(Path.of("..", "docs", "language.md"));
    String listed = language.substring(language.indexOf("Decision types:"));
    listed = listed.substring(0, listed.indexOf("\n\n"));
    for (String type : Arrays.stream(Decision.Type.values()).map(Enum::name).toList()) {
      assertThat(listed).contains("`" + type + "`");
    }
  }
}
