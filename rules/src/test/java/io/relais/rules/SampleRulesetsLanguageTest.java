package io.relais.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.language.Completion;
import io.relais.dsl.language.LanguageService;
import io.relais.dsl.language.Position;
import io.relais.dsl.language.Snapshot;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.dmn.KogitoDecisionModels;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The language service on the sample rulesets, with the engine's DMN models as the REST API
 * passes them: at every name the rules write, completion offers that name (cut where the name
 * starts) and hover describes it; every reference to a declared name (campaign, tier, reward,
 * table, define, attribute, event type, DMN decision and input) resolves to its declaration.
 */
class SampleRulesetsLanguageTest {

  private static final LanguageService SERVICE =
      new LanguageService(Optional.of(new KogitoDecisionModels()));

  /**
   * A name written in a rule file: where completion is asked (where the name starts, inside
   * its quotes for a quoted one), the label expected, where hover and definition are asked
   * (inside the name), and the declaration it must resolve to (null for built-in and used names).
   */
  record Reference(String file, SourceSpan at, String label, SourceSpan declaration, String used) {

    Reference(String file, SourceSpan at, String label, SourceSpan declaration) {
      this(file, at, label, declaration, null);
    }

    @Override
    public String toString() {
      return at + " " + label;
    }
  }

  static List<Path> rulesets() throws IOException {
    return SampleRulesetsTest.rulesets();
  }

  @ParameterizedTest
  @MethodSource("rulesets")
  void everyNameCompletesAndEveryReferenceResolves(Path folder) throws IOException {
    RulesetSources ruleset = RuleLanguage.load(folder);
    Map<String, String> files = new LinkedHashMap<>();
    ruleset.sources().forEach(s -> files.put(s.name(), s.text()));
    Snapshot snapshot = SERVICE.snapshot(ruleset.name(), files);
    assertThat(snapshot.diagnostics()).isEmpty();

    List<Reference> references = references(snapshot);
    assertThat(references).as("names written in %s", folder).hasSizeGreaterThan(10);
    for (Reference r : references) {
      Position start = new Position(r.at().line(), r.at().column());
      // A tag, segment or message written once is the one being typed there: nothing to offer.
      boolean elsewhere = r.used() == null || references.stream()
          .filter(o -> r.used().equals(o.used()) && r.label().equals(o.label())).count() > 1;
      if (elsewhere) {
        assertThat(SERVICE.completion(snapshot, r.file(), start)).extracting(Completion::label)
            .as("completion at %s", r).contains(r.label());
      }
      assertThat(SERVICE.hover(snapshot, r.file(), start)).as("hover at %s", r).isPresent();
      if (r.declaration() != null) {
        assertThat(SERVICE.definition(snapshot, r.file(), start)).as("definition at %s", r)
            .containsExactly(r.declaration());
      }
    }
  }

  /** Every name of every rule file, found by walking the syntax trees. */
  private static List<Reference> references(Snapshot snapshot) {
    Declared declared = new Declared(snapshot);
    List<Reference> references = new ArrayList<>();
    for (Source source : snapshot.sources()) {
      if (RuleLanguage.isDmn(source.name())) {
        continue;
      }
      RuleFile tree = snapshot.parsed(source.name()).orElseThrow().file();
      String file = source.name();
      walk(tree, node -> references.addAll(declared.references(file, node)));
    }
    return references;
  }

  /** Walks the records of a syntax tree, depth first. */
  private static void walk(Object node, Consumer<Object> visit) {
    if (node instanceof Optional<?> o) {
      o.ifPresent(x -> walk(x, visit));
    } else if (node instanceof Collection<?> c) {
      c.forEach(x -> walk(x, visit));
    } else if (node != null && node.getClass().isRecord()) {
      visit.accept(node);
      for (RecordComponent component : node.getClass().getRecordComponents()) {
        try {
          walk(component.getAccessor().invoke(node), visit);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The declarations of a snapshot, and the references each sort of node makes. */
  private static final class Declared {
    final Map<String, SourceSpan> campaigns = new LinkedHashMap<>();
    final Map<String, SourceSpan> tiers = new LinkedHashMap<>();
    final Map<String, SourceSpan> rewards = new LinkedHashMap<>();
    final Map<String, SourceSpan> tables = new LinkedHashMap<>();
    final Map<String, SourceSpan> defines = new LinkedHashMap<>();
    final Map<String, SourceSpan> attributes = new LinkedHashMap<>();
    final Map<String, SourceSpan> events = new LinkedHashMap<>();
    final Map<String, DecisionModels.Model> models;

    Declared(Snapshot snapshot) {
      models = snapshot.analysis().tables();
      for (Source source : snapshot.sources()) {
        snapshot.parsed(source.name()).ifPresent(p -> p.file().items().forEach(item -> {
          if (item instanceof Item.Campaign c) {
            campaigns.put(c.name().text(), c.name().span());
          } else if (item instanceof Item.Tier t) {
            tiers.put(t.name().text(), t.name().span());
          } else if (item instanceof Item.Reward r) {
            rewards.put(r.name().text(), r.name().span());
          } else if (item instanceof Item.Table t) {
            tables.put(t.name().text(), t.name().span());
          } else if (item instanceof Item.Define d) {
            defines.put(d.name().text(), d.name().span());
          } else if (item instanceof Item.AttributeDecl a) {
            attributes.put(a.name().text(), a.name().span());
          } else if (item instanceof Item.EventDecl e) {
            events.put(e.name().text(), e.name().span());
          }
        }));
      }
    }

    List<Reference> references(String file, Object node) {
      List<Reference> refs = new ArrayList<>();
      if (node instanceof Expr.Path p && p.parts().size() > 1) {
        String root = p.parts().get(0);
        String rest = String.join(".", p.parts().subList(1, p.parts().size()));
        SourceSpan after = shift(p.span(), root.length() + 1);
        SourceSpan declaration = root.equals("contact") ? attributes.get(rest) : null;
        refs.add(new Reference(file, after, rest, declaration));
      } else if (node instanceof Expr.NameRef n) {
        refs.add(new Reference(file, n.span(), n.name(), defines.get(n.name())));
      } else if (node instanceof Expr.EventIs e) {
        refs.add(bare(file, e.type(), events));
      } else if (node instanceof Expr.Count c) {
        refs.add(bare(file, c.type(), events));
      } else if (node instanceof Expr.Sum s) {
        refs.add(bare(file, s.type(), events));
        refs.add(new Reference(file, s.attribute().span(), s.attribute().text(), null));
      } else if (node instanceof Expr.DaysSinceLast d) {
        refs.add(bare(file, d.type(), events));
      } else if (node instanceof Expr.DecisionRef d) {
        DecisionModels.Model model = models.get(d.table().text());
        refs.add(quoted(file, d.decision(), model.decision(d.decision().text()).orElseThrow().span()));
        refs.add(quoted(file, d.table(), tables.get(d.table().text())));
      } else if (node instanceof Expr.Compare c && c.left() instanceof Expr.Path p
          && p.dotted().equals("contact.tier") && c.right() instanceof Expr.TextLit t) {
        refs.add(new Reference(file, shift(t.span(), 1), t.value(), tiers.get(t.value())));
      } else if (node instanceof Expr.TagCount t) {
        refs.add(used(file, t.tag(), "tag"));
      } else if (node instanceof Expr.HasTag t) {
        refs.add(used(file, t.tag(), "tag"));
      } else if (node instanceof Expr.InSegment s) {
        refs.add(used(file, s.segment(), "segment"));
      } else if (node instanceof Action.Tag t) {
        refs.add(used(file, t.tag(), "tag"));
      } else if (node instanceof Action.Untag t) {
        refs.add(used(file, t.tag(), "tag"));
      } else if (node instanceof Action.AddToSegment s) {
        refs.add(used(file, s.segment(), "segment"));
      } else if (node instanceof Action.RemoveFromSegment s) {
        refs.add(used(file, s.segment(), "segment"));
      } else if (node instanceof Action.Enroll e) {
        refs.add(quoted(file, e.campaign(), campaigns.get(e.campaign().text())));
      } else if (node instanceof Action.Stop s) {
        refs.add(quoted(file, s.campaign(), campaigns.get(s.campaign().text())));
      } else if (node instanceof Action.GrantReward g) {
        refs.add(quoted(file, g.reward(), rewards.get(g.reward().text())));
      } else if (node instanceof Action.Send s) {
        refs.add(new Reference(file, shift(s.message().span(), 1), s.message().raw(), null, "message"));
      } else if (node instanceof Action.SetStage s) {
        refs.add(new Reference(file, s.stage().span(), s.stage().text(), null));
      } else if (node instanceof Action.AdvanceStage s) {
        refs.add(new Reference(file, s.stage().span(), s.stage().text(), null));
      } else if (node instanceof Item.Step s) {
        refs.add(used(file, s.message(), "message"));
      } else if (node instanceof Item.Table t) {
        refs.add(quoted(file, t.file(), SourceSpan.at(t.file().text(), 1, 1)));
        DecisionModels.Model model = models.get(t.name().text());
        for (Item.InputBinding b : t.inputs()) {
          refs.add(quoted(file, b.input(), model.input(b.input().text()).orElseThrow().span()));
        }
      }
      return refs;
    }

    private static Reference bare(String file, Name name, Map<String, SourceSpan> declared) {
      return new Reference(file, name.span(), name.text(), declared.get(name.text()));
    }

    private static Reference used(String file, Name name, String sort) {
      return new Reference(file, shift(name.span(), 1), name.text(), null, sort);
    }

    private static Reference quoted(String file, Name name, SourceSpan declaration) {
      return new Reference(file, shift(name.span(), 1), name.text(), declaration);
    }

    /** A one-line span starting {@code by} columns later. */
    private static SourceSpan shift(SourceSpan span, int by) {
      return new SourceSpan(span.file(), span.line(), span.column() + by, span.endLine(), span.endColumn());
    }
  }
}
