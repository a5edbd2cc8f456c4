package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A phase's contact is made from what changed: the same contact when nothing did. */
class WorkingStateTest {

  private static Contact contact() {
    Map<String, Integer> tags = new LinkedHashMap<>();
    tags.put("A", 1);
    tags.put("B", 2);
    return Contact.withId("c").withState(3, null, tags, Set.of("S"), null, null, null, null);
  }

  @Test
  void nothingChangedIsTheSameContact() {
    Contact original = contact();
    WorkingState state = new WorkingState(original);
    assertThat(state.toContact()).isSameAs(original);
    state.tagsToChange().put("A", 1); // the same value: no change
    assertThat(state.toContact()).isSameAs(original);
  }

  @Test
  void aChangeMakesANewContactSharingWhatDidNotChange() {
    Contact original = contact();
    WorkingState state = new WorkingState(original);
    state.score = 4;
    Contact next = state.toContact();
    assertThat(next.score()).isEqualTo(4);
    assertThat(next.tags()).isSameAs(original.tags());
    assertThat(next.segments()).isSameAs(original.segments());
    assertThat(original.score()).isEqualTo(3);
  }

  @Test
  void aChangedCollectionIsACopyTheContactsDoNotSee() {
    Contact original = contact();
    WorkingState state = new WorkingState(original);
    assertThat(state.tags()).isSameAs(original.tags()); // read, not copied
    state.tagsToChange().put("C", 1);
    assertThat(original.tags()).containsOnlyKeys("A", "B");
    Contact next = state.toContact();
    assertThat(next.tags()).containsOnlyKeys("A", "B", "C");
    state.tagsToChange().remove("A");
    assertThat(next.tags()).containsOnlyKeys("A", "B", "C");
    assertThat(state.toContact().tags()).containsOnlyKeys("B", "C");
    assertThat(state.tags()).containsOnlyKeys("B", "C");
  }

  @Test
  void theSameTagsInAnotherOrderAreAChange() {
    WorkingState state = new WorkingState(contact());
    state.tagsToChange().remove("A");
    state.tagsToChange().put("A", 1);
    Contact next = state.toContact();
    assertThat(next.tags().keySet()).containsExactly("B", "A");
    state.segmentsToChange().add("T");
    assertThat(state.toContact().segments()).containsExactly("S", "T");
    assertThat(next.segments()).containsExactly("S");
  }
}
