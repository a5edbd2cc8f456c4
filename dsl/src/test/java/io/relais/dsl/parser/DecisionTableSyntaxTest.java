package io.relais.dsl.parser;

import static io.relais.dsl.parser.ParserTreeTest.assertTree;
import static io.relais.dsl.parser.ParserTreeTest.cond;
import static io.relais.dsl.parser.ParserTreeTest.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.Template;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The syntax of docs/language.md ("Decision tables"): tables, decisions, decisions in templates. */
class DecisionTableSyntaxTest {

  private static final SourceSpan NONE = SourceSpan.NONE;

  private static Name name(String text) {
    return new Name(text, NONE);
  }

  @Test
  void aTableBindsItsInputs() {
    Item table = item("""
        TABLE "Lead fit" from "lead-fit.dmn"
          input "Industry" = contact.industry
          Input "Size" = contact.companySize + 1
        end
        """);

    assertTree(table, new Item.Table(name("Lead fit"), name("lead-fit.dmn"), List.of(
        new Item.InputBinding(name("Industry"),
            new Expr.Path(List.of("contact", "industry"), NONE), NONE),
        new Item.InputBinding(name("Size"), new Expr.Arithmetic(Expr.ArithmeticOp.ADD,
            new Expr.Path(List.of("contact", "companySize"), NONE),
            new Expr.NumberLit(BigDecimal.ONE, NONE), NONE), NONE)), NONE));
  }

  @Test
  void aDecisionIsAValue() {
    assertTree(cond("decision \"Grade\" of \"Lead fit\" in [\"A\"]"), new Expr.InList(
        new Expr.DecisionRef(name("Grade"), name("Lead fit"), NONE),
        List.of(new Expr.TextLit("A", NONE)), false, NONE));
  }

  @Test
  void theNewWordsStillNameThings() {
    // `table`, `input` and `of` are not reserved; `decision` is, except after a dot.
    assertThat(item("define table = 1")).isInstanceOf(Item.Define.class);
    assertThat(item("define input = 1")).isInstanceOf(Item.Define.class);
    assertThat(cond("event is page_visit and event.decision = \"x\"")).isNotNull();
  }

  @Test
  void aTemplateReadsADecisionWithSingleQuotes() {
    Action.Notify notify = (Action.Notify) ParserTreeTest.action("alert",
        "notify owner with \"Grade {{decision 'Grade' of 'Lead fit'|none}}!\"");

    assertThat(notify.message().parts()).hasSize(3);
    assertTree(notify.message().parts().get(1),
        new Template.DecisionPlaceholder("Grade", "Lead fit", Optional.of("none"), NONE));
  }

  @Test
  void aTableWithoutEndIsASyntaxError() {
    ParseResult result = RulesParser.parse(new Source("t.rules",
        "table \"T\" from \"t.dmn\"\n  input \"A\" = contact.score\n\nsegment \"x\" then tag \"y\" end\n"));

    assertThat(result.diagnostics()).isNotEmpty();
    assertThat(result.file().items()).hasSize(1);
  }
}
