package io.relais.dsl.language;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.Lexeme;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Hover: what the word at a position is, its type and a line of documentation (Markdown). */
final class Hovers {

  private final Snapshot snapshot;
  private final LanguageService.Cursor cursor;
  private final CursorContext context;
  private final Vocabulary vocabulary;

  Hovers(Snapshot snapshot, LanguageService.Cursor cursor) {
    this.snapshot = snapshot;
    this.cursor = cursor;
    this.context = cursor.context();
    this.vocabulary = snapshot.analysis().vocabulary();
  }

  Optional<Hover> hover() {
    Lexeme word = context.word().orElseThrow();
    Place place = Place.of(context);
    String name = word.value();
    Optional<String> text = switch (place.slot()) {
      case CONTACT_FIELD -> vocabulary.field(place.prefix() + name)
          .map(f -> title(f.dotted(), f.type()) + Docs.field(f));
      case EVENT_ATTRIBUTE -> eventAttribute(place.guards(), name);
      case SUM_ATTRIBUTE -> vocabulary.eventType(place.qualifier())
          .flatMap(t -> t.attribute(name).map(type ->
              title(t.name() + "." + name, type) + Docs.attribute(t, name)));
      case EVENT_TYPE -> eventType(name);
      case STAGE -> stage(name);
      case TYPE -> ValueType.declarable(name).map(t -> "**" + t.keyword() + "** type");
      case CHANNEL -> channel(name);
      case VALUE -> word.isWord() ? value(place.qualifier(), word) : Optional.empty();
      case NEW_NAME, NONE -> Optional.empty();
      default -> quoted(place, name);
    };
    if (text.isEmpty() && word.kind() == Lexeme.Kind.KEYWORD) {
      text = KeywordDocs.of(word.word()).map(d -> "`" + d.form() + "`\n\n" + d.text());
    }
    return text.map(t -> new Hover(t, cursor.wordSpan()));
  }

  private static String title(String name, ValueType type) {
    return "**" + name + "** `" + type.keyword() + "`\n\n";
  }

  private Optional<String> eventAttribute(Set<String> guards, String name) {
    ValueType implicit = Vocabulary.IMPLICIT_EVENT_ATTRIBUTES.get(name);
    if (implicit != null) {
      return Optional.of(title("event." + name, implicit) + Docs.attribute(null, name));
    }
    for (String guard : guards) {
      Optional<Vocabulary.EventType> type = vocabulary.eventType(guard);
      Optional<ValueType> attribute = type.flatMap(t -> t.attribute(name));
      if (attribute.isPresent()) {
        return Optional.of(title("event." + name, attribute.get())
            + Docs.attribute(guards.size() == 1 ? type.get() : null, name));
      }
    }
    List<String> owners = vocabulary.eventTypes().stream()
        .filter(t -> t.attributes().containsKey(name)).map(Vocabulary.EventType::name).toList();
    return owners.isEmpty() ? Optional.empty() : Optional.of("**event." + name
        + "**\n\nattribute of " + String.join(", ", owners)
        + " events: needs `event is TYPE` earlier in the same `and` chain");
  }

  private Optional<String> eventType(String name) {
    return vocabulary.eventType(name).map(t -> "**" + t.name() + "** event type\n\n"
        + Docs.eventType(t));
  }

  private static Optional<String> stage(String name) {
    return Stage.named(name).map(s -> "**" + s.name() + "** `stage`\n\n" + Docs.stage(s));
  }

  private static Optional<String> channel(String name) {
    for (Action.Channel channel : Action.Channel.values()) {
      if (channel.keyword().equalsIgnoreCase(name)) {
        return Optional.of("**" + channel.keyword() + "** alert channel");
      }
    }
    return Optional.empty();
  }

  /** A bare name where a value goes: the counted event's attribute, a define, a stage. */
  private Optional<String> value(String counted, Lexeme word) {
    String name = word.text();
    if (counted != null) {
      Optional<Vocabulary.EventType> type = vocabulary.eventType(counted);
      Optional<ValueType> attribute = type.flatMap(t -> t.attribute(name));
      if (attribute.isPresent()) {
        return Optional.of(title(counted + "." + name, attribute.get())
            + Docs.attribute(type.get(), name) + ", the counted event's");
      }
    }
    Optional<Vocabulary.Constant> constant = vocabulary.constant(name);
    if (constant.isPresent()) {
      return Optional.of(title(name, constant.get().type()) + Docs.constant(constant.get()));
    }
    return stage(name);
  }

  private Optional<String> quoted(Place place, String name) {
    Declarations d = snapshot.declarations();
    String quoted = "**\"" + name + "\"** ";
    return switch (place.slot()) {
      case CAMPAIGN -> Optional.ofNullable(d.campaigns.get(name))
          .map(c -> quoted + "campaign\n\n" + Docs.campaign(c));
      case REWARD -> Optional.ofNullable(d.rewards.get(name))
          .map(r -> quoted + "reward\n\n" + Docs.reward(r));
      case TIER -> Optional.ofNullable(d.tiers.get(name))
          .map(t -> quoted + "tier\n\n" + Docs.tier(t));
      case TABLE -> Optional.ofNullable(d.tables.get(name)).map(t -> quoted + "table\n\n"
          + Docs.table(t, snapshot.analysis().tables().get(name)));
      case DECISION -> decision(place.qualifier(), name).map(v -> quoted + "`" + Docs.dmnType(v)
          + "`\n\n" + Docs.decision(place.qualifier(), v));
      case INPUT -> Optional.ofNullable(snapshot.analysis().tables().get(place.qualifier()))
          .flatMap(m -> m.input(name)).map(v -> quoted + "`" + Docs.dmnType(v)
              + "`\n\ninput of table \"" + place.qualifier() + "\"");
      case TAG, SEGMENT, MESSAGE -> Optional.ofNullable(d.used(place.slot()).get(name))
          .map(spans -> quoted + place.slot().name().toLowerCase(Locale.ROOT) + "\n\n"
              + Docs.used(place.slot(), name, spans.size()));
      case DMN_FILE -> snapshot.source(name).map(s -> quoted + "DMN file of this ruleset");
      default -> Optional.empty();
    };
  }

  private Optional<DecisionModels.Variable> decision(String table, String name) {
    return table == null ? Optional.empty()
        : Optional.ofNullable(snapshot.analysis().tables().get(table)).flatMap(m -> m.decision(name));
  }
}
