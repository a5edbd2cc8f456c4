package io.relais.dsl.check;

import io.relais.dsl.diagnostic.Suggestions;
import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks the parsed files of one ruleset: names, types, which actions each kind may use,
 * event guards, declarations, and the warnings of docs/language.md ("Mistakes and what Relais tells you"). Never throws on bad
 * input; every problem becomes a diagnostic.
 */
public final class Checker {

  /** Which rule kinds may use which action (docs/language.md ("Rules, kinds and phases")). */
  private static final Map<Class<? extends Action>, Set<RuleKind>> ALLOWED = allowed();

  private Checker() {}

  /**
   * Checks {@code files} as one ruleset named {@code defaultName} unless a file says
   * {@code ruleset "name"}. The result holds the checked ruleset iff there is no error.
   */
  public static CheckResult check(String defaultName, List<RuleFile> files) {
    return check(defaultName, files, List.of());
  }

  /** The same, with the ruleset's {@code .dmn} files (docs/language.md ("Decision tables")). */
  public static CheckResult check(String defaultName, List<RuleFile> files, List<Source> dmnFiles) {
    return analyze(defaultName, files, dmnFiles, DecisionModels.installed()).result();
  }

  /**
   * The same check, reading the DMN files with {@code models} (none: tables are reported as
   * needing the engine), and keeping what an editor needs besides the diagnostics.
   */
  public static Analysis analyze(String defaultName, List<RuleFile> files, List<Source> dmnFiles,
      Optional<DecisionModels> models) {
    return new Run(defaultName, files, dmnFiles, models).run();
  }

  /** A define's value and its type. */
  private record Literal(Object value, ValueType type) {}

  /** A literal's value and type; empty for any other expression. */
  private static final Expr.Visitor<Optional<Literal>> LITERALS = new Expr.Visitor<>() {
    @Override
    public Optional<Literal> numberLit(Expr.NumberLit e) {
      return Optional.of(new Literal(e.value(), ValueType.NUMBER));
    }

    @Override
    public Optional<Literal> textLit(Expr.TextLit e) {
      return Optional.of(new Literal(e.value(), ValueType.TEXT));
    }

    @Override
    public Optional<Literal> boolLit(Expr.BoolLit e) {
      return Optional.of(new Literal(e.value(), ValueType.BOOLEAN));
    }

    @Override
    public Optional<Literal> dateLit(Expr.DateLit e) {
      return Optional.of(new Literal(e.value(), ValueType.DATE));
    }

    @Override
    public Optional<Literal> nameRef(Expr.NameRef e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> path(Expr.Path e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> tagCount(Expr.TagCount e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> hasTag(Expr.HasTag e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> inSegment(Expr.InSegment e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> eventIs(Expr.EventIs e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> count(Expr.Count e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> sum(Expr.Sum e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> daysSinceLast(Expr.DaysSinceLast e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> decisionRef(Expr.DecisionRef e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> arithmetic(Expr.Arithmetic e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> compare(Expr.Compare e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> between(Expr.Between e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> inList(Expr.InList e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> contains(Expr.Contains e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> matches(Expr.Matches e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> isEmpty(Expr.IsEmpty e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> not(Expr.Not e) {
      return Optional.empty();
    }

    @Override
    public Optional<Literal> logical(Expr.Logical e) {
      return Optional.empty();
    }
  };

  /** The state of one check. */
  private static final class Run {
    private final String defaultName;
    private final List<RuleFile> files;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Resolutions resolutions = new Resolutions();

    // One namespace per sort of declaration, first declaration wins.
    private final Map<String, Item.Rule> rules = new LinkedHashMap<>();
    private final Map<String, Item.Campaign> campaigns = new LinkedHashMap<>();
    private final Map<String, Item.Tier> tiers = new LinkedHashMap<>();
    private final Map<String, Item.Reward> rewards = new LinkedHashMap<>();
    private final Map<String, Item.Define> defines = new LinkedHashMap<>();
    private final Map<String, Item.AttributeDecl> attributes = new LinkedHashMap<>();
    private final Map<String, Item.EventDecl> events = new LinkedHashMap<>();
    private final Map<String, Header> headers = new HashMap<>();
    private final Map<BigDecimal, Item.Tier> thresholds = new HashMap<>();

    /** Rules in file order with their position, for the evaluation order. */
    private final List<Positioned> ruleOrder = new ArrayList<>();
    private final List<Vocabulary.Field> declaredFields = new ArrayList<>();
    private final List<Vocabulary.EventType> declaredEvents = new ArrayList<>();
    private final List<Vocabulary.Constant> constants = new ArrayList<>();

    private final Set<String> setTags = new HashSet<>();
    private final Set<String> enrolled = new HashSet<>();
    private boolean awardsPoints;
    // Identity: records hash their whole tree, which is slow and deep for long conditions.
    private final Map<Item.Rule, Set<String>> ruleGuards = new IdentityHashMap<>();

    private record Positioned(Item.Rule rule, int index, String file) {}

    /** The first header of a word, and the value it gives. */
    private record Header(Item item, Name value) {}

    /** The first {@code quiet hours}, and what it reads as when its times are valid. */
    private Item.QuietHours quietHoursItem;
    private Optional<Sending.QuietHours> quietHours = Optional.empty();
    /** Caps by channel and window, first declaration wins. */
    private final Map<String, Item.FrequencyCap> capItems = new LinkedHashMap<>();
    private final List<Sending.Cap> caps = new ArrayList<>();

    Run(String defaultName, List<RuleFile> files, List<Source> dmnFiles,
        Optional<DecisionModels> models) {
      this.defaultName = defaultName;
      this.files = files;
      this.tables = new TableChecker(dmnFiles, models, resolutions, diagnostics);
    }

    /** Decision tables (docs/language.md ("Decision tables")). */
    private final TableChecker tables;

    Analysis run() {
      for (RuleFile file : files) {
        List<Item> items = file.items();
        for (int i = 0; i < items.size(); i++) {
          items.get(i).accept(new Declaration(i, file.fileName()));
        }
      }
      Vocabulary vocabulary = Vocabulary.builtIn().with(declaredFields, declaredEvents, constants);
      ExprChecker exprs = new ExprChecker(vocabulary, tiers.keySet(), resolutions, diagnostics);
      exprs.tables = tables; // decision tables: docs/language.md ("Decision tables")
      tables.readFiles();
      tables.checkTables(exprs);
      Reachability reachability = new Reachability(resolutions);
      for (Positioned p : ruleOrder) {
        checkRule(p.rule(), exprs, reachability);
      }
      for (Item.Campaign campaign : allCampaigns) {
        campaign.exitWhen().ifPresent(e -> exprs.condition(e, ExprChecker.Scope.NONE));
      }
      warnings(exprs);
      boolean failed = diagnostics.stream().anyMatch(Diagnostic::isError);
      return new Analysis(new CheckResult(
          failed ? Optional.empty() : Optional.of(ruleset(vocabulary)), diagnostics),
          vocabulary, tables.models());
    }

    /** Every campaign, duplicates included, so each exit condition is checked. */
    private final List<Item.Campaign> allCampaigns = new ArrayList<>();

    // ---- declarations ----

    /** Declares one item of a file; {@code index} and {@code file} place a rule in the order. */
    private final class Declaration implements Item.Visitor<Void> {
      private final int index;
      private final String file;

      Declaration(int index, String file) {
        this.index = index;
        this.file = file;
      }

      @Override
      public Void rulesetHeader(Item.RulesetHeader h) {
        return header("ruleset", h, h.name());
      }

      @Override
      public Void timezoneHeader(Item.TimezoneHeader h) {
        header("timezone", h, h.zone());
        zone(h.zone());
        return null;
      }

      @Override
      public Void defaultOwnerHeader(Item.DefaultOwnerHeader h) {
        return header("default owner", h, h.address());
      }

      @Override
      public Void quietHours(Item.QuietHours q) {
        Optional<LocalTime> from = time(q.from());
        Optional<LocalTime> until = time(q.until());
        if (quietHoursItem != null) {
          error(Codes.DUPLICATE_DECLARATION, q.span(),
              "quiet hours are already declared at " + quietHoursItem.span().position()
                  + ": a ruleset has one quiet period, remove one of them");
          return null;
        }
        quietHoursItem = q;
        if (from.isPresent() && until.isPresent()) {
          if (from.get().equals(until.get())) {
            error(Codes.BAD_TIME, q.span(), "quiet hours from " + q.from().text() + " to "
                + q.until().text() + " are empty: give two different times");
          } else {
            quietHours = Optional.of(new Sending.QuietHours(from.get(), until.get()));
          }
        }
        return null;
      }

      @Override
      public Void frequencyCap(Item.FrequencyCap c) {
        boolean valid = true;
        if (c.limit().signum() <= 0 || c.limit().stripTrailingZeros().scale() > 0
            || c.limit().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
          error(Codes.BAD_CAP, c.span(), "a cap allows a whole number of messages, at least 1,"
              + " not " + c.limit().toPlainString());
          valid = false;
        }
        if (c.per().amount() <= 0) {
          error(Codes.BAD_CAP, c.per().span(), "a cap counts messages over some time, not 0 "
              + c.per().unit().keyword());
          valid = false;
        }
        Optional<String> channel = c.via().map(v -> v.keyword());
        if (c.via().isPresent() && !messageChannel(c.via().get(), c.span())) {
          valid = false;
        }
        String key = channel.orElse("") + "/" + c.per().toDuration();
        Item.FrequencyCap first = capItems.putIfAbsent(key, c);
        if (first != null) {
          error(Codes.DUPLICATE_DECLARATION, c.span(),
              "a cap over the same channel and time is already declared at "
                  + first.span().position() + ": only the lower one would count, remove one");
        } else if (valid) {
          caps.add(new Sending.Cap(c.limit().intValueExact(), c.per().toDuration(), channel));
        }
        return null;
      }

      @Override
      public Void attributeDecl(Item.AttributeDecl a) {
        attribute(a);
        return null;
      }

      @Override
      public Void eventDecl(Item.EventDecl e) {
        event(e);
        return null;
      }

      @Override
      public Void define(Item.Define d) {
        Run.this.define(d);
        return null;
      }

      @Override
      public Void campaign(Item.Campaign c) {
        allCampaigns.add(c);
        unique("campaign", campaigns, c.name(), c);
        for (Item.Step step : c.steps()) {
          if (step.after().amount() < 0) {
            error(Codes.NEGATIVE_VALUE, step.after().span(), "a step delay cannot be negative");
          }
        }
        return null;
      }

      @Override
      public Void tier(Item.Tier t) {
        Item.Tier before = tiers.isEmpty() ? null : tiers.values().iterator().next();
        if (before != null && !window(before).equals(window(t))) {
          error(Codes.MIXED_TIER_BASIS, t.span(), "tier \"" + t.name().text() + "\" is based on "
              + basis(t) + " but tier \"" + before.name().text() + "\" (" + before.span().position()
              + ") on " + basis(before) + ": every tier of a ruleset has the same basis");
        }
        boolean first = unique("tier", tiers, t.name(), t);
        if (t.threshold().signum() < 0) {
          error(Codes.NEGATIVE_VALUE, t.span(), "tier \"" + t.name().text()
              + "\" cannot start from a negative number of points");
        } else if (first) {
          Item.Tier same = thresholds.putIfAbsent(t.threshold().stripTrailingZeros(), t);
          if (same != null) {
            error(Codes.DUPLICATE_THRESHOLD, t.span(), "tier \"" + t.name().text()
                + "\" starts from " + t.threshold().toPlainString() + " points like tier \""
                + same.name().text() + "\" (" + same.span().position()
                + "): only one of them could ever be reached");
          }
        }
        return null;
      }

      @Override
      public Void reward(Item.Reward r) {
        unique("reward", rewards, r.name(), r);
        if (r.cost().signum() < 0) {
          error(Codes.NEGATIVE_VALUE, r.span(), "reward \"" + r.name().text()
              + "\" cannot cost a negative number of points");
        }
        return null;
      }

      @Override
      public Void table(Item.Table t) {
        tables.declare(t);
        return null;
      }

      @Override
      public Void rule(Item.Rule rule) {
        unique("rule", rules, rule.name(), rule);
        ruleOrder.add(new Positioned(rule, index, file));
        rule.priority().filter(p -> p < 0).ifPresent(p -> error(Codes.NEGATIVE_VALUE,
            rule.span(), "priority cannot be negative: 0, the default, is the lowest"));
        if (rule.activeFrom().isPresent() && rule.activeUntil().isPresent()
            && rule.activeFrom().get().isAfter(rule.activeUntil().get())) {
          error(Codes.BAD_ACTIVE_RANGE, rule.span(), "rule \"" + rule.name().text()
              + "\" is active from " + rule.activeFrom().get() + ", after its end "
              + rule.activeUntil().get() + ": it would never be active");
        }
        return null;
      }
    }

    private Void header(String word, Item item, Name value) {
      Header first = headers.putIfAbsent(word, new Header(item, value));
      if (first != null && !first.value().text().equals(value.text())) {
        error(Codes.CONFLICTING_HEADER, item.span(), word + " \"" + value.text()
            + "\" conflicts with " + word + " \"" + first.value().text() + "\" at "
            + first.item().span().position());
      }
      return null;
    }

    /** {@code HH:MM} as a time of day, or a diagnostic. */
    private Optional<LocalTime> time(Name written) {
      String[] parts = written.text().split(":");
      int hours = Integer.parseInt(parts[0]);
      int minutes = Integer.parseInt(parts[1]);
      if (hours < 24 && minutes < 60) {
        return Optional.of(LocalTime.of(hours, minutes));
      }
      Diagnostic d = Diagnostic.error(Codes.BAD_TIME, written.span(), "\"" + written.text()
          + "\" is not a time of day: hours run from 00 to 23, minutes from 00 to 59");
      report(d, hours == 24 && minutes == 0 ? Optional.of("00:00") : Optional.empty());
      return Optional.empty();
    }

    /** Whether a marketing message may go by {@code channel}; a diagnostic when not. */
    private boolean messageChannel(Action.Channel channel, SourceSpan span) {
      if (channel == Action.Channel.EMAIL || channel == Action.Channel.SMS) {
        return true;
      }
      report(Diagnostic.error(Codes.BAD_CHANNEL, span, "a marketing message goes by email or"
          + " sms, not " + channel.keyword() + " (alerts to sales reps use `notify`)"),
          Optional.of("sms"));
      return false;
    }

    private void zone(Name zone) {
      try {
        ZoneId.of(zone.text());
      } catch (DateTimeException e) {
        Diagnostic d = Diagnostic.error(Codes.BAD_TIMEZONE, zone.span(), "unknown time zone \""
            + zone.text() + "\": use a region like \"Europe/Paris\" or \"UTC\"");
        report(d, Suggestions.closest(zone.text(), new TreeSet<>(ZoneId.getAvailableZoneIds()))
            .map(s -> "\"" + s + "\""));
      }
    }

    private void attribute(Item.AttributeDecl a) {
      String name = a.name().text();
      if (Vocabulary.builtIn().field(name).isPresent()
          || Vocabulary.builtIn().field(name + ".email").isPresent()) {
        error(Codes.RESERVED_NAME, a.name().span(),
            "contact." + name + " is built in: give the attribute another name");
        return;
      }
      if (unique("attribute", attributes, new Name("contact." + name, a.name().span()), a)) {
        declaredFields.add(new Vocabulary.Field(name, type(a.type()), Vocabulary.Origin.ATTRIBUTE,
            a.span()));
      }
    }

    private void event(Item.EventDecl e) {
      String name = e.name().text();
      if (Vocabulary.builtIn().eventType(name).isPresent()) {
        error(Codes.RESERVED_NAME, e.name().span(),
            "event type " + name + " is built in: give the event another name");
        return;
      }
      boolean first = unique("event type", events, e.name(), e);
      Map<String, ValueType> fields = new LinkedHashMap<>();
      Map<String, Item.FieldDecl> seen = new HashMap<>();
      for (Item.FieldDecl f : e.fields()) {
        String field = f.name().text();
        if (Vocabulary.IMPLICIT_EVENT_ATTRIBUTES.containsKey(field)) {
          error(Codes.RESERVED_NAME, f.name().span(),
              "every event has " + field + " already: give the attribute another name");
        } else if (unique("event attribute", seen,
            new Name(name + "." + field, f.name().span()), f)) {
          fields.put(field, type(f.type()));
        }
      }
      if (first) {
        declaredEvents.add(new Vocabulary.EventType(name, fields, false, e.span()));
      }
    }

    private void define(Item.Define d) {
      String name = d.name().text();
      if (Stage.named(name).isPresent()) {
        error(Codes.RESERVED_NAME, d.name().span(),
            name + " is a stage: give the define another name");
        return;
      }
      if (!unique("define", defines, d.name(), d)) {
        return;
      }
      Expr v = d.value();
      Optional<Literal> literal = v.accept(LITERALS);
      if (literal.isEmpty()) {
        // The grammar only allows literals; a tree built by other means is still reported.
        error(Codes.TYPE_MISMATCH, v.span(), "a define needs a number, text, date, true or false");
        return;
      }
      resolutions.type(v, literal.get().type());
      constants.add(new Vocabulary.Constant(name, literal.get().type(), literal.get().value(), d.span()));
    }

    /** The declarable type a word names; reported (and null) if none. */
    private ValueType type(Name word) {
      Optional<ValueType> type = ValueType.declarable(word.text());
      if (type.isEmpty()) {
        List<String> words = Arrays.stream(ValueType.values()).filter(t -> t != ValueType.STAGE)
            .map(ValueType::keyword).toList();
        report(Diagnostic.error(Codes.UNKNOWN_TYPE, word.span(), "unknown type " + word.text()
                + ": use " + String.join(", ", words.subList(0, words.size() - 1)) + " or "
                + words.get(words.size() - 1)),
            Suggestions.closest(word.text().toLowerCase(Locale.ROOT), words));
      }
      return type.orElse(null);
    }

    /** Records {@code item} under {@code name}; reports a duplicate at the second one. */
    private <T extends io.relais.dsl.ast.Node> boolean unique(
        String sort, Map<String, T> names, Name name, T item) {
      T first = names.putIfAbsent(name.text(), item);
      if (first == null) {
        return true;
      }
      error(Codes.DUPLICATE_NAME, name.span(), "duplicate " + sort + " " + quoted(sort, name.text())
          + ": first declared at " + first.span().position());
      return false;
    }

    private static String quoted(String sort, String name) {
      return switch (sort) {
        case "rule", "campaign", "tier", "reward" -> "\"" + name + "\"";
        default -> name;
      };
    }

    // ---- rules ----

    private void checkRule(Item.Rule rule, ExprChecker exprs, Reachability reachability) {
      Set<String> guards = rule.when().map(ExprChecker::established).orElse(null);
      ruleGuards.put(rule, guards == null ? Set.of() : guards);
      int errorsBefore = errorCount();
      rule.when().ifPresent(w -> exprs.condition(w, ExprChecker.Scope.NONE));
      boolean conditionClean = errorCount() == errorsBefore;
      ExprChecker.Scope actionScope = new ExprChecker.Scope(guards, null);
      for (Action action : rule.actions()) {
        Set<RuleKind> kinds = ALLOWED.get(action.getClass());
        if (!kinds.contains(rule.kind())) {
          error(Codes.ACTION_NOT_ALLOWED, action.span(), "`" + describe(action)
              + "` is not allowed in " + (rule.kind() == RuleKind.ALERT ? "an " : "a ")
              + rule.kind().keyword() + " rule: only "
              + kinds.stream().map(RuleKind::keyword).collect(Collectors.joining(" and "))
              + " rules may use it");
        }
        action(action, exprs, actionScope);
      }
      if (conditionClean && rule.when().isPresent()) {
        Reachability.Verdict v = reachability.of(rule.when().get());
        if (v.cannotHold()) {
          diagnostics.add(Diagnostic.warning(Codes.NEVER_FIRES, v.span(), "rule \""
              + rule.name().text() + "\" can never fire: " + v.reason()));
        }
      }
    }

    private void action(Action action, ExprChecker exprs, ExprChecker.Scope scope) {
      action.accept(new ActionCheck(exprs, scope));
    }

    /** One action's names and amounts; nothing to return but diagnostics. */
    private final class ActionCheck implements Action.Visitor<Void> {
      private final ExprChecker exprs;
      private final ExprChecker.Scope scope;

      ActionCheck(ExprChecker exprs, ExprChecker.Scope scope) {
        this.exprs = exprs;
        this.scope = scope;
      }

      @Override
      public Void tag(Action.Tag t) {
        setTags.add(t.tag().text());
        t.by().ifPresent(by -> exprs.number(by, scope, "the amount of `tag ... by`"));
        return null;
      }

      @Override
      public Void untag(Action.Untag a) {
        return null;
      }

      @Override
      public Void addToSegment(Action.AddToSegment a) {
        return null;
      }

      @Override
      public Void removeFromSegment(Action.RemoveFromSegment a) {
        return null;
      }

      @Override
      public Void addScore(Action.AddScore a) {
        exprs.number(a.amount(), scope, "the amount added to the score");
        return null;
      }

      @Override
      public Void subtractScore(Action.SubtractScore a) {
        exprs.number(a.amount(), scope, "the amount subtracted from the score");
        return null;
      }

      @Override
      public Void setScore(Action.SetScore a) {
        exprs.number(a.value(), scope, "the score");
        return null;
      }

      @Override
      public Void setStage(Action.SetStage a) {
        stage(a.stage());
        return null;
      }

      @Override
      public Void advanceStage(Action.AdvanceStage a) {
        Optional<Stage> stage = stage(a.stage());
        if (stage.isPresent() && !stage.get().isOrdered()) {
          error(Codes.BAD_STAGE, a.stage().span(), "advance stage cannot go to DISQUALIFIED,"
              + " which is outside the funnel: use `disqualify`");
        }
        return null;
      }

      @Override
      public Void disqualify(Action.Disqualify a) {
        return null;
      }

      @Override
      public Void enroll(Action.Enroll a) {
        enrolled.add(a.campaign().text());
        known("campaign", campaigns.keySet(), a.campaign(), Codes.UNKNOWN_CAMPAIGN);
        return null;
      }

      @Override
      public Void stop(Action.Stop a) {
        known("campaign", campaigns.keySet(), a.campaign(), Codes.UNKNOWN_CAMPAIGN);
        return null;
      }

      @Override
      public Void send(Action.Send a) {
        exprs.template(a.message(), scope);
        a.via().ifPresent(v -> messageChannel(v, a.span()));
        return null;
      }

      @Override
      public Void award(Action.Award a) {
        awardsPoints = true;
        exprs.number(a.points(), scope, "the points awarded");
        return null;
      }

      @Override
      public Void deduct(Action.Deduct a) {
        exprs.number(a.points(), scope, "the points deducted");
        return null;
      }

      @Override
      public Void grantReward(Action.GrantReward a) {
        known("reward", rewards.keySet(), a.reward(), Codes.UNKNOWN_REWARD);
        return null;
      }

      @Override
      public Void notify(Action.Notify a) {
        exprs.template(a.message(), scope);
        return null;
      }
    }

    private Optional<Stage> stage(Name name) {
      Optional<Stage> stage = Stage.named(name.text());
      if (stage.isEmpty()) {
        report(Diagnostic.error(Codes.UNKNOWN_STAGE, name.span(), "unknown stage " + name.text()),
            Suggestions.closest(name.text(), Arrays.stream(Stage.values()).map(Stage::name).toList()));
      }
      return stage;
    }

    private void known(String sort, Set<String> declared, Name name, String code) {
      if (!declared.contains(name.text())) {
        report(Diagnostic.error(code, name.span(), "unknown " + sort + " \"" + name.text() + "\""),
            Suggestions.closest(name.text(), declared).map(s -> "\"" + s + "\""));
      }
    }

    private static String describe(Action action) {
      return action.accept(DESCRIBE);
    }

    // ---- warnings ----

    private void warnings(ExprChecker exprs) {
      List<String> set = setTags.stream().sorted().toList();
      for (Name tested : exprs.testedTags) {
        if (!setTags.contains(tested.text())) {
          report(Diagnostic.warning(Codes.TAG_NEVER_SET, tested.span(), "tag \"" + tested.text()
                  + "\" is tested but no rule sets it with `tag \"" + tested.text() + "\"`"),
              Suggestions.closest(tested.text(), set).map(s -> "\"" + s + "\""));
        }
      }
      for (Item.Campaign c : campaigns.values()) {
        if (!enrolled.contains(c.name().text())) {
          diagnostics.add(Diagnostic.warning(Codes.CAMPAIGN_NEVER_ENROLLED, c.name().span(),
              "campaign \"" + c.name().text() + "\" is never enrolled: no rule says `enroll in \""
                  + c.name().text() + "\"`"));
        }
      }
      if (!awardsPoints) {
        for (Item.Tier t : tiers.values()) {
          if (t.threshold().signum() > 0) {
            diagnostics.add(Diagnostic.warning(Codes.TIER_UNREACHABLE, t.name().span(),
                "tier \"" + t.name().text() + "\" can never be reached: no rule awards points"));
          }
        }
      }
    }

    /** The window a tier counts earned points in; empty: the balance. */
    private static Optional<Duration> window(Item.Tier t) {
      return t.earnedWithin().map(DurationLiteral::toDuration);
    }

    /** What a tier counts, in words. */
    private static String basis(Item.Tier t) {
      return t.earnedWithin()
          .map(d -> "the points earned within " + d.amount() + " "
              + (d.amount() == 1 ? d.unit().keyword().replaceFirst("s$", "") : d.unit().keyword()))
          .orElse("the balance");
    }

    // ---- result ----

    /** The value of the first header of {@code word}, if any. */
    private Optional<String> header(String word) {
      return Optional.ofNullable(headers.get(word)).map(h -> h.value().text());
    }

    private CheckedRuleset ruleset(Vocabulary vocabulary) {
      String name = header("ruleset").orElse(defaultName);
      ZoneId zone = header("timezone").map(ZoneId::of).orElse(ZoneOffset.UTC);
      Optional<String> owner = header("default owner");
      List<CheckedRuleset.Rule> ordered = ruleOrder.stream()
          .sorted(Comparator.comparingInt((Positioned p) -> p.rule().kind().phase())
              .thenComparing(p -> -p.rule().priority().orElse(0))
              .thenComparingInt(Positioned::index)
              .thenComparing(Positioned::file))
          .map(p -> new CheckedRuleset.Rule(p.rule(), p.rule().priority().orElse(0),
              ruleGuards.get(p.rule())))
          .toList();
      List<CheckedRuleset.Tier> tierList = tiers.values().stream()
          .map(t -> new CheckedRuleset.Tier(t.name().text(), t.threshold(),
              t.earnedWithin().map(DurationLiteral::toDuration), t.span()))
          .sorted(Comparator.comparing(CheckedRuleset.Tier::threshold))
          .toList();
      return new CheckedRuleset(name, zone, owner, vocabulary,
          campaigns.values().stream().map(CheckedRuleset.Campaign::new).toList(),
          tierList,
          rewards.values().stream()
              .map(r -> new CheckedRuleset.Reward(r.name().text(), r.cost(), r.span())).toList(),
          ordered,
          resolutions,
          tables.tables(),
          new Sending(quietHours, caps));
    }

    // ---- reporting ----

    private int errorCount() {
      return (int) diagnostics.stream().filter(Diagnostic::isError).count();
    }

    private void error(String code, SourceSpan span, String message) {
      diagnostics.add(Diagnostic.error(code, span, message));
    }

    private void report(Diagnostic d, Optional<String> suggestion) {
      diagnostics.add(suggestion.map(d::withSuggestion).orElse(d));
    }
  }

  /** How an action reads in messages: its words, without its values. */
  private static final Action.Visitor<String> DESCRIBE = new Action.Visitor<>() {
    @Override
    public String tag(Action.Tag a) {
      return "tag";
    }

    @Override
    public String untag(Action.Untag a) {
      return "untag";
    }

    @Override
    public String addToSegment(Action.AddToSegment a) {
      return "add to segment";
    }

    @Override
    public String removeFromSegment(Action.RemoveFromSegment a) {
      return "remove from segment";
    }

    @Override
    public String addScore(Action.AddScore a) {
      return "add N to score";
    }

    @Override
    public String subtractScore(Action.SubtractScore a) {
      return "subtract N from score";
    }

    @Override
    public String setScore(Action.SetScore a) {
      return "set score to N";
    }

    @Override
    public String setStage(Action.SetStage a) {
      return "set stage to S";
    }

    @Override
    public String advanceStage(Action.AdvanceStage a) {
      return "advance stage to S";
    }

    @Override
    public String disqualify(Action.Disqualify a) {
      return "disqualify";
    }

    @Override
    public String enroll(Action.Enroll a) {
      return "enroll in";
    }

    @Override
    public String stop(Action.Stop a) {
      return "stop";
    }

    @Override
    public String send(Action.Send a) {
      return "send";
    }

    @Override
    public String award(Action.Award a) {
      return "award";
    }

    @Override
    public String deduct(Action.Deduct a) {
      return "deduct";
    }

    @Override
    public String grantReward(Action.GrantReward a) {
      return "grant reward";
    }

    @Override
    public String notify(Action.Notify a) {
      return "notify";
    }
  };

  private static Map<Class<? extends Action>, Set<RuleKind>> allowed() {
    Map<Class<? extends Action>, Set<RuleKind>> m = new HashMap<>();
    for (var c : List.of(Action.Tag.class, Action.Untag.class, Action.AddToSegment.class,
        Action.RemoveFromSegment.class)) {
      m.put(c, EnumSet.of(RuleKind.SEGMENT));
    }
    for (var c : List.of(Action.AddScore.class, Action.SubtractScore.class,
        Action.SetScore.class)) {
      m.put(c, EnumSet.of(RuleKind.SCORING));
    }
    for (var c : List.of(Action.SetStage.class, Action.AdvanceStage.class,
        Action.Disqualify.class)) {
      m.put(c, EnumSet.of(RuleKind.QUALIFY));
    }
    m.put(Action.Enroll.class, EnumSet.of(RuleKind.NURTURE));
    m.put(Action.Stop.class, EnumSet.of(RuleKind.NURTURE));
    m.put(Action.Send.class, EnumSet.of(RuleKind.NURTURE, RuleKind.LOYALTY));
    for (var c : List.of(Action.Award.class, Action.Deduct.class, Action.GrantReward.class)) {
      m.put(c, EnumSet.of(RuleKind.LOYALTY));
    }
    m.put(Action.Notify.class, EnumSet.of(RuleKind.ALERT));
    return Map.copyOf(m);
  }
}
