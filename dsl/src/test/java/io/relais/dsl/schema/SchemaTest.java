package io.relais.dsl.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.program.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

  @Test
  void theCheckersVocabularyIsTheSchema() {
    Vocabulary v = Vocabulary.builtIn();
    assertThat(v.fields()).extracting(Vocabulary.Field::name)
        .containsExactlyElementsOf(Schema.fields().stream().map(Schema.Field::name).toList());
    for (Schema.Field f : Schema.fields()) {
      Vocabulary.Field field = v.field(f.name()).orElseThrow();
      assertThat(field.type()).isEqualTo(f.type());
      assertThat(field.derived()).isEqualTo(f.origin() == Schema.Origin.DERIVED);
      assertThat(field.doc()).isEqualTo(f.doc());
      assertThat(field.builtIn()).contains(f);
    }
    assertThat(v.eventTypes()).extracting(Vocabulary.EventType::name)
        .containsExactlyElementsOf(Schema.eventTypes().stream().map(Schema.EventType::name).toList());
    for (Schema.EventType t : Schema.eventTypes()) {
      assertThat(v.eventType(t.name()).orElseThrow().attributes()).isEqualTo(t.attributes());
    }
  }

  @Test
  void storedFieldsAreIndexedAndDerivedOnesAreNot() {
    for (Schema.Field f : Schema.fields()) {
      assertThat(f.indexing().isPresent()).as(f.name()).isEqualTo(f.stored());
      assertThat(f.history().isEmpty() || f.origin() == Schema.Origin.DERIVED).as(f.name()).isTrue();
      assertThat(f.doc()).as(f.name()).isNotBlank();
    }
  }

  @Test
  void everyActionSaysWhichStateItWrites() {
    List<Class<?>> covered = new ArrayList<>(Schema.WRITES_NO_STATE);
    for (Schema.StatePart part : Schema.StatePart.values()) {
      covered.addAll(part.writtenBy());
    }
    assertThat(covered).containsExactlyInAnyOrder(Arrays.stream(Operation.class.getPermittedSubclasses())
        .toArray(Class<?>[]::new));
  }

  @Test
  void theContactJsonHasEveryStoredFieldAndStatePartOnce() {
    assertThat(Schema.jsonProperties()).doesNotHaveDuplicates()
        .contains("consent", "tags", "segments", "ledger", "enrollments", "alerts", "attributes")
        .doesNotContain("age", "points");
  }

  @Test
  void aFieldDeclaredTwiceIsRefused() {
    Schema.Field score = Schema.field("score").orElseThrow();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schema.index(List.of(score, score)))
        .hasMessageContaining("contact.score is declared twice");
  }
}
