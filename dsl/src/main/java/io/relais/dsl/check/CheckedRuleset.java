package io.relais.dsl.check;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.program.Program;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A ruleset that passed the checker: everything the compiler needs, with every name already
 * resolved and every expression typed (see {@link Resolutions}).
 *
 * @param zone the ruleset's {@code timezone}, UTC when none is declared
 * @param vocabulary contact fields, event types and defines, the declared ones included
 * @param tiers sorted by threshold, lowest first
 * @param rules in evaluation order: phase, priority descending, position in its file, file name
 * @param program what the engine compiles: the same rules, names resolved to accessors
 * @param sending quiet hours and frequency caps of marketing messages
 */
public record CheckedRuleset(
    String name,
    ZoneId zone,
    Optional<String> defaultOwner,
    Vocabulary vocabulary,
    List<Campaign> campaigns,
    List<Tier> tiers,
    List<Reward> rewards,
    List<Rule> rules,
    Resolutions resolutions,
    List<Table> tables,
    Program program,
    Sending sending) {

  public CheckedRuleset {
    campaigns = List.copyOf(campaigns);
    tiers = List.copyOf(tiers);
    rewards = List.copyOf(rewards);
    rules = List.copyOf(rules);
    tables = List.copyOf(tables);
  }

  /** A checked ruleset and its program, lowered from the other parts. */
  public CheckedRuleset(String name, ZoneId zone, Optional<String> defaultOwner,
      Vocabulary vocabulary, List<Campaign> campaigns, List<Tier> tiers, List<Reward> rewards,
      List<Rule> rules, Resolutions resolutions, List<Table> tables, Sending sending) {
    this(name, zone, defaultOwner, vocabulary, campaigns, tiers, rewards, rules, resolutions,
        tables, Lowering.lower(rules, campaigns, rewards, tables, defaultOwner, resolutions),
        sending);
  }

  /** A ruleset without decision tables. */
  public CheckedRuleset(String name, ZoneId zone, Optional<String> defaultOwner,
      Vocabulary vocabulary, List<Campaign> campaigns, List<Tier> tiers, List<Reward> rewards,
      List<Rule> rules, Resolutions resolutions) {
    this(name, zone, defaultOwner, vocabulary, campaigns, tiers, rewards, rules, resolutions,
        List.of(), Sending.NONE);
  }

  public Optional<Table> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The {@code define}d constants, in declaration order. */
  public List<Vocabulary.Constant> defines() {
    return vocabulary.constants();
  }

  public Optional<Campaign> campaign(String name) {
    return campaigns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<Reward> reward(String name) {
    return rewards.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * A checked rule. {@code guardedEventTypes} are the triggering event types its condition
   * guarantees (from {@code event is T} in its top-level {@code and} chain), empty if none: the
   * types its actions and templates may read {@code event.X} of.
   */
  public record Rule(Item.Rule syntax, int priority, Set<String> guardedEventTypes) {

    public Rule {
      guardedEventTypes = Set.copyOf(guardedEventTypes);
    }

    public String name() {
      return syntax.name().text();
    }

    public RuleKind kind() {
      return syntax.kind();
    }

    public int phase() {
      return syntax.kind().phase();
    }

    public String file() {
      return syntax.span().file();
    }

    public int line() {
      return syntax.span().line();
    }

    /** {@code file:line}, the {@code source} of the decisions it makes. */
    public String source() {
      return syntax.span().fileAndLine();
    }
  }

  /** A nurturing campaign; its exit condition, if any, is typed like a rule's condition. */
  public record Campaign(Item.Campaign syntax) {

    public String name() {
      return syntax.name().text();
    }

    public List<Item.Step> steps() {
      return syntax.steps();
    }

    public SourceSpan span() {
      return syntax.span();
    }
  }

  /**
   * A loyalty tier reached from {@code threshold} points: of the balance, or, with
   * {@code earnedWithin}, of the points earned in that window (every tier of a ruleset has
   * the same basis, the checker makes sure).
   */
  public record Tier(String name, BigDecimal threshold, Optional<Duration> earnedWithin, SourceSpan span) {}

  /**
   * The window tiers count earned points in, or empty when they use the balance (or there is
   * no tier).
   */
  public Optional<Duration> tierWindow() {
    return tiers.isEmpty() ? Optional.empty() : tiers.get(0).earnedWithin();
  }

  /** A reward that costs {@code cost} points. */
  public record Reward(String name, BigDecimal cost, SourceSpan span) {}

  /**
   * A decision table (docs/language.md ("Decision tables")): the {@code .dmn} file it reads, its model's name,
   * every input bound once, and the decisions rules may read with their types.
   */
  public record Table(
      String name,
      Source file,
      String model,
      List<Binding> inputs,
      Map<String, ValueType> decisions,
      SourceSpan span) {

    public Table {
      inputs = List.copyOf(inputs);
      decisions = Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
    }
  }

  /** {@code input "Industry" = contact.industry}: the bound expression is typed like any other. */
  public record Binding(String input, Expr value, ValueType type) {}
}
