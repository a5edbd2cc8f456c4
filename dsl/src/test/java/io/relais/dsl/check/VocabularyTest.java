package io.relais.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.ValueType;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  private final Vocabulary v = Vocabulary.builtIn();

  @Test
  void builtInContactFieldsHaveTheTypesOfTheLanguageDocument() {
    assertThat(v.field("consent.email").orElseThrow().type()).isEqualTo(ValueType.BOOLEAN);
    assertThat(v.field("stage").orElseThrow().type()).isEqualTo(ValueType.STAGE);
    assertThat(v.field("birthDate").orElseThrow().type()).isEqualTo(ValueType.DATE);
    assertThat(v.field("lastActivityAt").orElseThrow().type()).isEqualTo(ValueType.DATETIME);
    assertThat(v.field("tier").orElseThrow().type()).isEqualTo(ValueType.TEXT);
    assertThat(v.field("scroe")).isEmpty();
  }

  @Test
  void derivedFieldsAreMarked() {
    assertThat(v.fields().stream().filter(Vocabulary.Field::derived).map(Vocabulary.Field::name))
        .containsExactlyInAnyOrder("age", "isBirthday", "points", "recency", "frequency",
            "monetary");
  }

  @Test
  void everyEventHasIdTypeAndAt() {
    assertThat(v.eventTypes()).hasSize(12);
    Vocabulary.EventType daily = v.eventType("daily").orElseThrow();
    assertThat(daily.attributes()).isEmpty();
    assertThat(daily.attribute("at")).contains(ValueType.DATETIME);
    assertThat(daily.attribute("id")).contains(ValueType.TEXT);
    assertThat(v.eventType("purchase").orElseThrow().attribute("amount"))
        .contains(ValueType.NUMBER);
    assertThat(v.eventType("email_open").orElseThrow().attribute("url")).isEmpty();
    assertThat(v.eventType("email_click").orElseThrow().attribute("url"))
        .contains(ValueType.TEXT);
  }
}
