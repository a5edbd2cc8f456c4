package io.relais.engine.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A contact's collections are its own, immutable, ordered, and not copied twice. */
class FrozenTest {

  private static Contact with(Map<String, Integer> tags, Set<String> segments) {
    return Contact.withId("c").withState(0, null, tags, segments, null, null, null, null);
  }

  @Test
  void aContactDoesNotSeeLaterChangesOfTheMapsItWasMadeFrom() {
    Map<String, Integer> tags = new LinkedHashMap<>(Map.of("A", 1));
    Set<String> segments = new LinkedHashSet<>(Set.of("S"));
    Contact contact = with(tags, segments);
    tags.put("B", 2);
    segments.add("T");
    assertThat(contact.tags()).containsOnlyKeys("A");
    assertThat(contact.segments()).containsExactly("S");
  }

  @Test
  void aContactsCollectionsCannotBeChanged() {
    Contact contact = with(Map.of("A", 1), Set.of("S"));
    assertThatThrownBy(() -> contact.tags().put("B", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> contact.tags().entrySet().iterator().next().setValue(5))
        .isInstanceOf(UnsupportedOperationException.class);
    Iterator<String> segments = contact.segments().iterator();
    segments.next();
    assertThatThrownBy(segments::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> contact.segments().add("T")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aContactMadeFromAnothersCollectionsSharesThemAndKeepsTheirOrder() {
    Map<String, Integer> tags = new LinkedHashMap<>();
    tags.put("Z", 1);
    tags.put("A", 2);
    Contact first = with(tags, Set.of("S"));
    Contact second = first.withState(5, first.stage(), first.tags(), first.segments(), first.tier(),
        first.ledger(), first.enrollments(), first.alerts());
    assertThat(second.tags()).isSameAs(first.tags());
    assertThat(second.segments()).isSameAs(first.segments());
    assertThat(second.tags().keySet()).containsExactly("Z", "A");
    assertThat(second.tags()).isEqualTo(Map.of("A", 2, "Z", 1));
  }
}
