package io.relais.dsl.language;

import io.relais.dsl.ast.Item;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/** Document symbols: a file's items as an outline, from its syntax tree (items that parse). */
final class Symbols implements Item.Visitor<Symbol> {

  private Symbols() {}

  static List<Symbol> of(ParseResult parsed) {
    Symbols symbols = new Symbols();
    List<Symbol> all = new ArrayList<>();
    for (Item item : parsed.file().items()) {
      all.add(item.accept(symbols));
    }
    return all;
  }

  private static Symbol symbol(String name, Symbol.Kind kind, String detail, SourceSpan range,
      SourceSpan selection, List<Symbol> children) {
    return new Symbol(name, kind, detail, range, selection, children);
  }

  private static Symbol leaf(String name, Symbol.Kind kind, String detail, SourceSpan range,
      SourceSpan selection) {
    return symbol(name, kind, detail, range, selection, List.of());
  }

  @Override
  public Symbol rulesetHeader(Item.RulesetHeader i) {
    return leaf(i.name().text(), Symbol.Kind.HEADER, "ruleset", i.span(), i.name().span());
  }

  @Override
  public Symbol timezoneHeader(Item.TimezoneHeader i) {
    return leaf(i.zone().text(), Symbol.Kind.HEADER, "timezone", i.span(), i.zone().span());
  }

  @Override
  public Symbol defaultOwnerHeader(Item.DefaultOwnerHeader i) {
    return leaf(i.address().text(), Symbol.Kind.HEADER, "default owner", i.span(),
        i.address().span());
  }

  @Override
  public Symbol quietHours(Item.QuietHours i) {
    return leaf(i.from().text() + " to " + i.until().text(), Symbol.Kind.HEADER, "quiet hours",
        i.span(), i.from().span());
  }

  @Override
  public Symbol frequencyCap(Item.FrequencyCap i) {
    return leaf("at most " + i.limit().toPlainString() + " per " + i.per().amount() + " "
        + i.per().unit().keyword() + i.via().map(v -> " via " + v.keyword()).orElse(""),
        Symbol.Kind.HEADER, "frequency cap", i.span(), i.span());
  }

  @Override
  public Symbol attributeDecl(Item.AttributeDecl i) {
    return leaf("contact." + i.name().text(), Symbol.Kind.ATTRIBUTE, i.type().text(), i.span(),
        i.name().span());
  }

  @Override
  public Symbol eventDecl(Item.EventDecl i) {
    List<Symbol> fields = new ArrayList<>();
    for (Item.FieldDecl f : i.fields()) {
      fields.add(leaf(f.name().text(), Symbol.Kind.FIELD, f.type().text(), f.span(),
          f.name().span()));
    }
    return symbol(i.name().text(), Symbol.Kind.EVENT_TYPE, "event type", i.span(),
        i.name().span(), fields);
  }

  @Override
  public Symbol define(Item.Define i) {
    return leaf(i.name().text(), Symbol.Kind.CONSTANT, "define", i.span(), i.name().span());
  }

  @Override
  public Symbol campaign(Item.Campaign i) {
    List<Symbol> steps = new ArrayList<>();
    for (Item.Step s : i.steps()) {
      steps.add(leaf(s.message().text(), Symbol.Kind.STEP, "after " + s.after().amount() + " "
          + s.after().unit().keyword(), s.span(), s.message().span()));
    }
    return symbol(i.name().text(), Symbol.Kind.CAMPAIGN, "campaign", i.span(), i.name().span(),
        steps);
  }

  @Override
  public Symbol tier(Item.Tier i) {
    return leaf(i.name().text(), Symbol.Kind.TIER, "tier from " + i.threshold().toPlainString()
        + " points", i.span(), i.name().span());
  }

  @Override
  public Symbol reward(Item.Reward i) {
    return leaf(i.name().text(), Symbol.Kind.REWARD, "reward, " + i.cost().toPlainString()
        + " points", i.span(), i.name().span());
  }

  @Override
  public Symbol rule(Item.Rule i) {
    return leaf(i.name().text(), Symbol.Kind.RULE, i.kind().keyword() + " rule", i.span(),
        i.name().span());
  }

  @Override
  public Symbol table(Item.Table i) {
    List<Symbol> inputs = new ArrayList<>();
    for (Item.InputBinding b : i.inputs()) {
      inputs.add(leaf(b.input().text(), Symbol.Kind.INPUT, "input", b.span(), b.input().span()));
    }
    return symbol(i.name().text(), Symbol.Kind.TABLE, "table from " + i.file().text(), i.span(),
        i.name().span(), inputs);
  }
}
