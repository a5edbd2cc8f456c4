package io.relais.dsl.language;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.Lexeme;
import io.relais.dsl.source.SourceSpan;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completion: the names that fit the place ({@link Place}) and the keywords the grammar
 * expects there, each with its type and a line of documentation. Not filtered by what is typed
 * already: editors filter, and {@link Completion#replace()} tells them which text that is.
 */
final class Completions {

  private final Snapshot snapshot;
  private final LanguageService.Cursor cursor;
  private final CursorContext context;
  private final Vocabulary vocabulary;
  private final List<Completion> items = new ArrayList<>();

  Completions(Snapshot snapshot, LanguageService.Cursor cursor) {
    this.snapshot = snapshot;
    this.cursor = cursor;
    this.context = cursor.context();
    this.vocabulary = snapshot.analysis().vocabulary();
  }

  List<Completion> all() {
    if (context.inComment()) {
      return List.of();
    }
    Place place = Place.of(context);
    if (place.slot().quoted()) {
      quoted(place);
      return items;
    }
    if (context.word().map(Lexeme::isString).orElse(false)) {
      return items; // inside a string that names nothing known
    }
    switch (place.slot()) {
      case CONTACT_FIELD -> fields(place.prefix());
      case EVENT_ATTRIBUTE -> eventAttributes(place.guards());
      case EVENT_TYPE -> eventTypes();
      case SUM_ATTRIBUTE -> vocabulary.eventType(place.qualifier()).ifPresent(t ->
          t.attributes().forEach((name, type) -> {
            if (type == ValueType.NUMBER) {
              attribute(t, name, type);
            }
          }));
      case STAGE -> stages();
      case TYPE -> {
        for (ValueType type : ValueType.values()) {
          if (ValueType.declarable(type.keyword()).isPresent()) {
            add(type.keyword(), Completion.Kind.TYPE, "type", "values of type " + type.keyword());
          }
        }
      }
      case CHANNEL -> {
        for (Action.Channel channel : Action.Channel.values()) {
          add(channel.keyword(), Completion.Kind.CHANNEL, "channel", "send the alert by "
              + channel.keyword());
        }
      }
      case VALUE -> values(place.qualifier());
      default -> { }
    }
    // Elsewhere a keyword could only be a name (after a dot) or nothing fits but the name.
    if (place.slot() == Place.Slot.VALUE || place.slot() == Place.Slot.NONE) {
      keywords();
    }
    return items;
  }

  // ---- names ----

  private void fields(String prefix) {
    for (Vocabulary.Field field : vocabulary.fields()) {
      if (field.name().startsWith(prefix)) {
        add(field.name().substring(prefix.length()), Completion.Kind.FIELD,
            field.type().keyword(), Docs.field(field));
      }
    }
  }

  private void eventAttributes(Set<String> guards) {
    Map<String, ValueType> common = null;
    Vocabulary.EventType owner = null;
    for (String guard : guards) {
      Optional<Vocabulary.EventType> type = vocabulary.eventType(guard);
      if (type.isEmpty()) {
        continue;
      }
      owner = type.get();
      if (common == null) {
        common = new LinkedHashMap<>(type.get().attributes());
      } else {
        Map<String, ValueType> other = type.get().attributes();
        common.entrySet().removeIf(e -> other.get(e.getKey()) != e.getValue());
      }
    }
    if (common != null) {
      for (Map.Entry<String, ValueType> e : common.entrySet()) {
        attribute(guards.size() == 1 ? owner : null, e.getKey(), e.getValue());
      }
    }
    Vocabulary.IMPLICIT_EVENT_ATTRIBUTES.forEach((name, type) -> attribute(null, name, type));
  }

  private void attribute(Vocabulary.EventType owner, String name, ValueType type) {
    add(name, Completion.Kind.ATTRIBUTE, type.keyword(), Docs.attribute(owner, name));
  }

  private void eventTypes() {
    for (Vocabulary.EventType type : vocabulary.eventTypes()) {
      add(type.name(), Completion.Kind.EVENT_TYPE, "event type", Docs.eventType(type));
    }
  }

  private void stages() {
    for (Stage stage : Stage.values()) {
      add(stage.name(), Completion.Kind.STAGE, "stage", Docs.stage(stage));
    }
  }

  /** Where a value goes: defines, stages, the counted event's attributes, {@code contact}. */
  private void values(String counted) {
    if (counted != null) {
      vocabulary.eventType(counted).ifPresent(t -> {
        t.attributes().forEach((name, type) -> attribute(t, name, type));
        Vocabulary.IMPLICIT_EVENT_ATTRIBUTES.forEach((name, type) -> attribute(null, name, type));
      });
    }
    KeywordDocs.of("contact").ifPresent(doc ->
        add("contact", Completion.Kind.KEYWORD, doc.form(), doc.text()));
    for (Vocabulary.Constant constant : vocabulary.constants()) {
      add(constant.name(), Completion.Kind.CONSTANT, constant.type().keyword(),
          Docs.constant(constant));
    }
    stages();
  }

  // ---- quoted names ----

  private void quoted(Place place) {
    Declarations d = snapshot.declarations();
    switch (place.slot()) {
      case TAG, SEGMENT, MESSAGE -> d.used(place.slot()).forEach((name, spans) -> {
        // The string being typed is no name to offer, unless it is written elsewhere too.
        boolean typedHere = spans.stream().allMatch(s -> s.equals(stringSpan()));
        if (!name.isBlank() && !typedHere) {
          quote(name, kind(place.slot()), place.slot().name().toLowerCase(java.util.Locale.ROOT),
              Docs.used(place.slot(), name, spans.size()));
        }
      });
      case CAMPAIGN -> d.campaigns.values().forEach(c ->
          quote(c.name().text(), Completion.Kind.CAMPAIGN, "campaign", Docs.campaign(c)));
      case REWARD -> d.rewards.values().forEach(r ->
          quote(r.name().text(), Completion.Kind.REWARD, "reward", Docs.reward(r)));
      case TIER -> d.tiers.values().forEach(t ->
          quote(t.name().text(), Completion.Kind.TIER, "tier", Docs.tier(t)));
      case TABLE -> d.tables.values().forEach(t ->
          quote(t.name().text(), Completion.Kind.TABLE, "table", Docs.table(t,
              snapshot.analysis().tables().get(t.name().text()))));
      case DECISION -> snapshot.analysis().tables().forEach((table, model) -> {
        if (place.qualifier() == null || place.qualifier().equals(table)) {
          for (DecisionModels.Variable v : model.decisions()) {
            quote(v.name(), Completion.Kind.DECISION, Docs.dmnType(v), Docs.decision(table, v));
          }
        }
      });
      case INPUT -> Optional.ofNullable(snapshot.analysis().tables().get(place.qualifier()))
          .ifPresent(model -> model.inputs().forEach(v ->
              quote(v.name(), Completion.Kind.INPUT, Docs.dmnType(v), "input of the DMN model \""
                  + model.name().orElse("") + "\"")));
      case DMN_FILE -> snapshot.sources().forEach(s -> {
        if (s.name().endsWith(io.relais.dsl.RuleLanguage.DMN_EXTENSION)) {
          quote(s.name(), Completion.Kind.FILE, "DMN file", "a DMN file of this ruleset");
        }
      });
      case TIMEZONE -> new TreeSet<>(ZoneId.getAvailableZoneIds()).forEach(z ->
          quote(z, Completion.Kind.TIMEZONE, "time zone", "the zone of every date of the ruleset"));
      default -> { }
    }
  }

  /** The span of the string the position is in, if any (else an impossible span). */
  private SourceSpan stringSpan() {
    return context.word().filter(Lexeme::isString)
        .map(w -> cursor.file().lines().span(w.start(), w.end())).orElse(SourceSpan.NONE);
  }

  private static Completion.Kind kind(Place.Slot slot) {
    return switch (slot) {
      case TAG -> Completion.Kind.TAG;
      case SEGMENT -> Completion.Kind.SEGMENT;
      default -> Completion.Kind.MESSAGE;
    };
  }

  /**
   * A name in quotes: inside a string, the text between its quotes is replaced (closing it if
   * open); elsewhere the whole string is inserted.
   */
  private void quote(String name, Completion.Kind kind, String detail, String doc) {
    String quoted = Formatter.quote(name);
    Optional<Lexeme> word = context.word();
    if (word.isPresent() && word.get().isString()) {
      Lexeme w = word.get();
      boolean open = w.kind() == Lexeme.Kind.OPEN_STRING;
      int end = open ? w.end() : w.end() - 1;
      SourceSpan inside = cursor.file().lines().span(w.start() + 1, Math.max(w.start() + 1, end));
      String content = quoted.substring(1, quoted.length() - 1);
      items.add(new Completion(name, kind, detail, doc, open ? content + "\"" : content, inside));
    } else {
      items.add(new Completion(name, kind, detail, doc, quoted, cursor.wordSpan()));
    }
  }

  // ---- keywords ----

  private void keywords() {
    for (String keyword : context.keywords()) {
      KeywordDocs.Doc doc = KeywordDocs.of(keyword).orElse(null);
      add(keyword, Completion.Kind.KEYWORD, doc == null ? "keyword" : doc.form(),
          doc == null ? "" : doc.text());
    }
  }

  private void add(String label, Completion.Kind kind, String detail, String doc) {
    items.add(new Completion(label, kind, detail, doc, label, cursor.wordSpan()));
  }
}
