package io.relais.dsl.language;

import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a ruleset declares (campaigns, tiers, rewards, tables, defines, attributes, event
 * types: the first declaration of a name wins, as in the checker) and the names it uses in
 * quotes (tags, segments, messages), across its files.
 */
final class Declarations {

  final Map<String, Item.Campaign> campaigns = new LinkedHashMap<>();
  final Map<String, Item.Tier> tiers = new LinkedHashMap<>();
  final Map<String, Item.Reward> rewards = new LinkedHashMap<>();
  final Map<String, Item.Table> tables = new LinkedHashMap<>();
  final Map<String, Item.Define> defines = new LinkedHashMap<>();
  final Map<String, Item.AttributeDecl> attributes = new LinkedHashMap<>();
  final Map<String, Item.EventDecl> events = new LinkedHashMap<>();
  /** Tags, segments and messages: each name with every place it is written. */
  final Map<Place.Slot, Map<String, List<SourceSpan>>> used = new LinkedHashMap<>();

  static Declarations of(Collection<FileState> files) {
    Declarations d = new Declarations();
    for (FileState file : files) {
      if (file.isDmn()) {
        continue;
      }
      RuleFile tree = file.parsed().file();
      for (Item item : tree.items()) {
        d.declare(item);
      }
      file.quoted().forEach((slot, names) -> names.forEach((name, spans) ->
          d.used.computeIfAbsent(slot, s -> new LinkedHashMap<>())
              .computeIfAbsent(name, x -> new ArrayList<>()).addAll(spans)));
    }
    return d;
  }

  private void declare(Item item) {
    if (item instanceof Item.Campaign c) {
      campaigns.putIfAbsent(c.name().text(), c);
    } else if (item instanceof Item.Tier t) {
      tiers.putIfAbsent(t.name().text(), t);
    } else if (item instanceof Item.Reward r) {
      rewards.putIfAbsent(r.name().text(), r);
    } else if (item instanceof Item.Table t) {
      tables.putIfAbsent(t.name().text(), t);
    } else if (item instanceof Item.Define def) {
      defines.putIfAbsent(def.name().text(), def);
    } else if (item instanceof Item.AttributeDecl a) {
      attributes.putIfAbsent(a.name().text(), a);
    } else if (item instanceof Item.EventDecl e) {
      events.putIfAbsent(e.name().text(), e);
    }
  }

  /** The tags, segments or messages used, by name. */
  Map<String, List<SourceSpan>> used(Place.Slot slot) {
    return used.getOrDefault(slot, Map.of());
  }
}
