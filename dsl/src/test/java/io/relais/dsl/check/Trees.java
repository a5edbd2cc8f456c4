package io.relais.dsl.check;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds syntax trees by hand, for what the parser cannot produce (a negative delay). Every
 * node sits on its own line of file {@code t.rules}, so diagnostics can be told apart.
 */
final class Trees {

  static final String FILE = "t.rules";
  private static int line = 1;

  private Trees() {}

  static SourceSpan at() {
    return SourceSpan.at(FILE, line++, 1);
  }

  static Name name(String text) {
    return new Name(text, at());
  }

  static Expr path(String dotted) {
    return new Expr.Path(Arrays.asList(dotted.split("\\.")), at());
  }

  static Expr num(long value) {
    return new Expr.NumberLit(BigDecimal.valueOf(value), at());
  }

  static Expr compare(Expr.CompareOp op, Expr left, Expr right) {
    return new Expr.Compare(op, left, right, at());
  }

  static Item.Rule rule(RuleKind kind, String name, Expr when, Action... actions) {
    return new Item.Rule(kind, name(name), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.ofNullable(when), List.of(actions), at());
  }

  static Action addScore(long amount) {
    return new Action.AddScore(num(amount), Optional.empty(), at());
  }

  static Item.Campaign campaign(String name, long... delaysInDays) {
    List<Item.Step> steps = Arrays.stream(delaysInDays).mapToObj(d -> new Item.Step(
        name("step-" + d), new DurationLiteral(d, DurationLiteral.Unit.DAYS, at()), at())).toList();
    return new Item.Campaign(name(name), steps, Optional.empty(), at());
  }

  static RuleFile file(Item... items) {
    return new RuleFile(FILE, List.of(items), List.of(), at());
  }
}
