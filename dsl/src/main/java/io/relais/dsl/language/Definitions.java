package io.relais.dsl.language;

import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.Lexeme;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Go to definition: where a name is declared, in any file of the ruleset (a campaign, tier,
 * reward, table, define, attribute, event type or event attribute), or in a {@code .dmn} file
 * (a decision, an input). Built-in names have no declaration.
 */
final class Definitions {

  private final Snapshot snapshot;
  private final CursorContext context;
  private final Declarations d;

  Definitions(Snapshot snapshot, LanguageService.Cursor cursor) {
    this.snapshot = snapshot;
    this.context = cursor.context();
    this.d = snapshot.declarations();
  }

  List<SourceSpan> find() {
    Lexeme word = context.word().orElseThrow();
    Place place = Place.of(context);
    String name = word.value();
    Optional<SourceSpan> found = switch (place.slot()) {
      case CONTACT_FIELD -> name(d.attributes.get(place.prefix() + name), Item.AttributeDecl::name);
      case EVENT_TYPE -> name(d.events.get(name), Item.EventDecl::name);
      case EVENT_ATTRIBUTE -> eventAttribute(place.guards(), name);
      case SUM_ATTRIBUTE -> eventAttribute(Set.of(place.qualifier()), name);
      case VALUE -> place.qualifier() != null
          ? eventAttribute(Set.of(place.qualifier()), name)
              .or(() -> name(d.defines.get(name), Item.Define::name))
          : name(d.defines.get(name), Item.Define::name);
      case CAMPAIGN -> name(d.campaigns.get(name), Item.Campaign::name);
      case REWARD -> name(d.rewards.get(name), Item.Reward::name);
      case TIER -> name(d.tiers.get(name), Item.Tier::name);
      case TABLE -> name(d.tables.get(name), Item.Table::name);
      case DECISION -> model(place.qualifier()).flatMap(m -> m.decision(name))
          .map(DecisionModels.Variable::span);
      case INPUT -> model(place.qualifier()).flatMap(m -> m.input(name))
          .map(DecisionModels.Variable::span);
      case DMN_FILE -> snapshot.source(name).map(s -> SourceSpan.at(name, 1, 1));
      default -> Optional.empty();
    };
    List<SourceSpan> spans = new ArrayList<>();
    found.filter(s -> s.line() > 0).ifPresent(spans::add);
    return spans;
  }

  private Optional<DecisionModels.Model> model(String table) {
    return table == null ? Optional.empty()
        : Optional.ofNullable(snapshot.analysis().tables().get(table));
  }

  /** The field of a declared event type that one of {@code types} is. */
  private Optional<SourceSpan> eventAttribute(Set<String> types, String name) {
    for (String type : types) {
      Item.EventDecl event = d.events.get(type);
      if (event != null) {
        for (Item.FieldDecl field : event.fields()) {
          if (field.name().text().equals(name)) {
            return Optional.of(field.name().span());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The span of a declaration's name. */
  private static <T> Optional<SourceSpan> name(T item, Function<T, Name> name) {
    return Optional.ofNullable(item).map(i -> name.apply(i).span());
  }
}
