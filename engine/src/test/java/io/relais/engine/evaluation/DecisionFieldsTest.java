package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A decision's fields read as the ordered map they were before they became one array. */
class DecisionFieldsTest {

  private static final Decision.RuleRef RULE = new Decision.RuleRef("r", "a.rules:1");

  @Test
  void fieldsKeepTheirOrderAndEmptyValues() {
    Decision d = Decision.of(Decision.Type.POINTS, RULE, "because", "delta", 5, "balance", 7, "expiresAt", null);
    assertThat(d.fields().keySet()).containsExactly("delta", "balance", "expiresAt");
    assertThat(d.fields()).containsEntry("expiresAt", null).hasSize(3);
    assertThat(d.field("balance")).isEqualTo(7);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("delta", 5);
    expected.put("balance", 7);
    expected.put("expiresAt", null);
    assertThat(d.fields()).isEqualTo(expected);
    assertThat(d.fields().hashCode()).isEqualTo(expected.hashCode());
    assertThat(d.json().keySet()).containsExactly("type", "delta", "balance", "expiresAt", "rule", "source", "reason");
  }

  @Test
  void fieldsCannotBeChanged() {
    Decision d = Decision.of(Decision.Type.TAG, RULE, null, "tag", "A");
    assertThatThrownBy(() -> d.fields().put("tag", "B")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.fields().entrySet().iterator().next().setValue("B"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aRepeatedNameKeepsItsPlaceAndTheLastValueAsAMapWould() {
    Decision d = Decision.of(Decision.Type.TAG, RULE, null, "a", 1, "b", 2, "a", 3);
    assertThat(d.fields().keySet()).containsExactly("a", "b");
    assertThat(d.field("a")).isEqualTo(3);
  }

  @Test
  void aDecisionMadeFromAMapDoesNotSeeItsLaterChanges() {
    Map<String, Object> fields = new LinkedHashMap<>(Map.of("tag", "A"));
    Decision d = new Decision(Decision.Type.TAG, fields, "r", "a.rules:1", null);
    fields.put("tag", "B");
    assertThat(d.field("tag")).isEqualTo("A");
    Decision suppressed = d.suppressed("no consent");
    assertThat(suppressed.fields().keySet()).containsExactly("of", "reason", "tag");
  }
}
