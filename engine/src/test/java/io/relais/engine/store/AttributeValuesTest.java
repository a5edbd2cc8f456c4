package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each custom attribute is indexed read as each type the engine can read it as, and only so. */
class AttributeValuesTest {

  private static Map<String, Object> entry(Object raw) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("a", raw);
    return ContactDocuments.attributeValues(attributes).get(0);
  }

  @Test
  void aValueIsIndexedAsEveryTypeItReadsAs() {
    assertThat(entry("finance")).isEqualTo(Map.of("name", "a", "text", "finance"));
    assertThat(entry(12)).isEqualTo(Map.of("name", "a", "text", "12", "number", 12.0));
    assertThat(entry("12.50")).isEqualTo(Map.of("name", "a", "text", "12.50", "number", 12.5));
    assertThat(entry(new BigDecimal("1E+3"))).isEqualTo(Map.of("name", "a", "text", "1000", "number", 1000.0));
    assertThat(entry(true)).isEqualTo(Map.of("name", "a", "text", "true", "boolean", true));
    assertThat(entry(" FALSE ")).isEqualTo(Map.of("name", "a", "text", " FALSE ", "boolean", false));
    assertThat(entry("")).isEqualTo(Map.of("name", "a", "text", ""));
  }

  @Test
  void listsObjectsAndNumbersBeyondADoubleAreNotIndexedAsValues() {
    assertThat(entry(List.of("finance"))).isEqualTo(Map.of("name", "a"));
    assertThat(entry(Map.of("x", 1))).isEqualTo(Map.of("name", "a"));
    assertThat(entry("1e400")).isEqualTo(Map.of("name", "a", "text", "1e400"));
  }
}
