package io.relais.api.contacts;

import io.relais.api.config.EventsProperties;
import io.relais.api.web.ApiException;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Which ruleset decides on posted events: the one named by {@code ?ruleset=}, else {@code
 * relais.events.ruleset}, else the only active one.
 */
@Component
public class RulesetChoice {

  private final RulesetRegistry registry;
  private final EventsProperties events;

  public RulesetChoice(RulesetRegistry registry, EventsProperties events) {
    this.registry = registry;
    this.events = events;
  }

  /** The active version to use; a 404 or 400 problem when there is none or no single one. */
  public RulesetVersion choose(String requested) {
    String name = requested != null && !requested.isBlank() ? requested : events.ruleset();
    if (name != null && !name.isBlank()) {
      return registry.active(name)
          .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + name + "\"."));
    }
    List<RulesetVersion> active = registry.list().stream().flatMap(e -> e.active().stream()).toList();
    if (active.size() == 1) {
      return active.get(0);
    }
    if (active.isEmpty()) {
      throw ApiException.notFound("No ruleset is active: upload one, or name one with ?ruleset=NAME.");
    }
    throw ApiException.badRequest("Several rulesets are active ("
        + String.join(", ", active.stream().map(RulesetVersion::name).sorted().toList())
        + "): name one with ?ruleset=NAME or configure relais.events.ruleset.");
  }
}
