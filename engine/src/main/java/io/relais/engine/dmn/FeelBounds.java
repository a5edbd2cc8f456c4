package io.relais.engine.dmn;

import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.CompilerContext;
import org.kie.dmn.feel.lang.ast.ASTNode;
import org.kie.dmn.feel.lang.ast.AtLiteralNode;
import org.kie.dmn.feel.lang.ast.BetweenNode;
import org.kie.dmn.feel.lang.ast.BooleanNode;
import org.kie.dmn.feel.lang.ast.ContextEntryNode;
import org.kie.dmn.feel.lang.ast.ContextNode;
import org.kie.dmn.feel.lang.ast.DashNode;
import org.kie.dmn.feel.lang.ast.DescendantExpressionNode;
import org.kie.dmn.feel.lang.ast.FilterExpressionNode;
import org.kie.dmn.feel.lang.ast.ForExpressionNode;
import org.kie.dmn.feel.lang.ast.FormalParameterNode;
import org.kie.dmn.feel.lang.ast.FunctionDefNode;
import org.kie.dmn.feel.lang.ast.FunctionInvocationNode;
import org.kie.dmn.feel.lang.ast.IfExpressionNode;
import org.kie.dmn.feel.lang.ast.InNode;
import org.kie.dmn.feel.lang.ast.InfixOpNode;
import org.kie.dmn.feel.lang.ast.InfixOperator;
import org.kie.dmn.feel.lang.ast.InstanceOfNode;
import org.kie.dmn.feel.lang.ast.IterationContextNode;
import org.kie.dmn.feel.lang.ast.ListNode;
import org.kie.dmn.feel.lang.ast.NameDefNode;
import org.kie.dmn.feel.lang.ast.NameRefNode;
import org.kie.dmn.feel.lang.ast.NamedParameterNode;
import org.kie.dmn.feel.lang.ast.NullNode;
import org.kie.dmn.feel.lang.ast.NumberNode;
import org.kie.dmn.feel.lang.ast.PathExpressionNode;
import org.kie.dmn.feel.lang.ast.QualifiedNameNode;
import org.kie.dmn.feel.lang.ast.QuantifiedExpressionNode;
import org.kie.dmn.feel.lang.ast.RangeNode;
import org.kie.dmn.feel.lang.ast.SignedUnaryNode;
import org.kie.dmn.feel.lang.ast.StringNode;
import org.kie.dmn.feel.lang.ast.TemporalConstantNode;
import org.kie.dmn.feel.lang.ast.TypeNode;
import org.kie.dmn.feel.lang.ast.UnaryTestListNode;
import org.kie.dmn.feel.lang.ast.UnaryTestNode;
import org.kie.dmn.feel.lang.ast.UndefinedValueNode;
import org.kie.dmn.feel.lang.impl.FEELImpl;
import org.kie.dmn.feel.lang.types.BuiltInType;
import org.kie.dmn.feel.parser.feel11.profiles.KieExtendedFEELProfile;
import org.kie.dmn.feel.runtime.FEELFunction;
import org.kie.dmn.feel.runtime.functions.BuiltInFunctions;
import org.kie.dmn.model.api.BusinessKnowledgeModel;
import org.kie.dmn.model.api.ChildExpression;
import org.kie.dmn.model.api.Conditional;
import org.kie.dmn.model.api.Context;
import org.kie.dmn.model.api.ContextEntry;
import org.kie.dmn.model.api.DMNModelInstrumentedBase;
import org.kie.dmn.model.api.DRGElement;
import org.kie.dmn.model.api.Decision;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionService;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.Definitions;
import org.kie.dmn.model.api.Expression;
import org.kie.dmn.model.api.Filter;
import org.kie.dmn.model.api.For;
import org.kie.dmn.model.api.FunctionDefinition;
import org.kie.dmn.model.api.FunctionKind;
import org.kie.dmn.model.api.InformationItem;
import org.kie.dmn.model.api.InputClause;
import org.kie.dmn.model.api.InputData;
import org.kie.dmn.model.api.Invocation;
import org.kie.dmn.model.api.ItemDefinition;
import org.kie.dmn.model.api.Iterator;
import org.kie.dmn.model.api.LiteralExpression;
import org.kie.dmn.model.api.NamedElement;
import org.kie.dmn.model.api.OutputClause;
import org.kie.dmn.model.api.Quantified;
import org.kie.dmn.model.api.Relation;
import org.kie.dmn.model.api.UnaryTests;

/**
 * What evaluating a DMN model can cost, bounded before it is ever evaluated (docs/language.md,
 * "What a DMN file may compute"). Kogito's FEEL interpreter has no hook where an evaluation
 * could be stopped (its loops and calls check no deadline, no interrupt, no listener), so a
 * model that could run for hours, recurse without end or fill the heap must never be loaded.
 *
 * <p>The screen reads every FEEL text of the model with Kogito's own parser and interprets it
 * abstractly, from the decisions down, calls inlined: each value is known only by an upper
 * bound of its size (characters and elements, {@link Lin}, in n, the inputs' total length),
 * each step adds to an upper bound of the evaluation's work, and a loop multiplies its body's
 * work by an upper bound of its iterations. A model is refused, at the {@code <text>} at
 * fault, when
 * <ul>
 *   <li>a function can call itself, directly or through others, or a function is used as a
 *       value (an argument, a list element, {@code sort}'s ordering, {@code invoke}): only calls
 *       by name to functions defined in the file are followed, so every call can be seen
 *       ({@code dmn-recursion});
 *   <li>a {@code for}, {@code some} or {@code every} (or a boxed iterator) runs over a range
 *       whose ends are not number literals, over more than {@value #MAX_RANGE} values, or
 *       over values whose number and cost both grow with the inputs ({@code dmn-iteration});
 *   <li>a regular expression ({@code matches}, {@code replace}, {@code split}) is not a
 *       literal, or can backtrack exponentially, or quadratically on the inputs
 *       ({@code dmn-regex}, see {@link RegexCost});
 *   <li>the evaluation can take more than {@value #MAX_WORK} steps plus {@value
 *       #WORK_PER_INPUT} per input character, or build a value of more than {@value
 *       #MAX_SIZE} characters or elements plus {@value #SIZE_PER_INPUT} per input character,
 *       or uses what cannot be bounded ({@code dmn-cost}).
 * </ul>
 */
final class FeelBounds {

  /** The most values a {@code for}, {@code some} or {@code every} may take from a range. */
  static final long MAX_RANGE = 10_000;
  /** Steps an evaluation may take, besides {@link #WORK_PER_INPUT} per input character. */
  static final long MAX_WORK = 250_000;
  static final long WORK_PER_INPUT = 1_000;
  /** Characters and elements a value may hold, besides {@link #SIZE_PER_INPUT} per input one. */
  static final long MAX_SIZE = 1_000_000;
  static final long SIZE_PER_INPUT = 100;

  /** The longest text {@code string()} makes of one number (a scale of up to 6,176). */
  private static final long NUMBER_TEXT = 6_200;
  /** The cost of one call to Saxon (matches, replace): a new processor and query each time. */
  private static final long SAXON_CALL = 1_000;
  /** Comparisons of a sort of at most 2^32 elements, per element. */
  private static final long LOG_SIZE = 32;

  private static final int RANGE = 1;
  private static final int FUNCTION = 2;
  /** May be or hold a text: + joins texts, but adds numbers into one. */
  private static final int TEXT = 4;

  private FeelBounds() {}

  /** The file's refusal, if its model cannot be bounded; empty when it may be evaluated. */
  static List<Diagnostic> screen(Source file, DMNModel model) {
    Analysis analysis = new Analysis(file, model.getDefinitions());
    try {
      analysis.run();
      return List.of();
    } catch (Refusal r) {
      return List.of(Diagnostic.error(r.code, r.at, r.getMessage()));
    } catch (StackOverflowError e) {
      // Calls are inlined: a chain of thousands of calls is deeper than this thread's stack.
      // Nothing but this analysis's own frames is unwound (docs/engine.md).
      return List.of(Diagnostic.error(Codes.DMN_COST, analysis.at,
          "this model nests calls and expressions too deeply to be bounded; flatten it"));
    }
  }

  /** The bound of the steps evaluating an accepted model takes (tests, docs/language.md). */
  static Lin work(Source file, DMNModel model) {
    Analysis analysis = new Analysis(file, model.getDefinitions());
    analysis.run();
    return analysis.work;
  }

  /** Why a model is refused, thrown from wherever the analysis found it. */
  private static final class Refusal extends RuntimeException {
    final String code;
    final SourceSpan at;
    /**
     * Refused for the work of the whole evaluation: reported where the outermost call is, not
     * in whichever function body the count crossed the limit.
     */
    final boolean total;

    Refusal(String code, SourceSpan at, String message) {
      this(code, at, message, false);
    }

    Refusal(String code, SourceSpan at, String message, boolean total) {
      super(message, null, false, false);
      this.code = code;
      this.at = at;
      this.total = total;
    }
  }

  // ---- abstract values ----

  /** What the analysis knows of a value. */
  private sealed interface V permits Data, Fn, BoxedFn, Builtin, Service {}

  /**
   * A value that is no function: upper bounds of its size (characters and elements) and of the
   * numbers, dates and booleans in it (each can print as up to {@link #NUMBER_TEXT}
   * characters); whether it may be or hold a range, a function or a text ({@link #RANGE},
   * {@link #FUNCTION}, {@link #TEXT}); and, for a context built in the file, its entries.
   */
  private record Data(Lin size, Lin numbers, int flags, Map<String, V> entries) implements V {
    Data(Lin size, Lin numbers, int flags) {
      this(size, numbers, flags, null);
    }

    /** A part of this value: an element, an entry, a filtered list. */
    Data part() {
      return entries == null ? this : new Data(size, numbers, flags);
    }

    Data join(Data o) {
      return new Data(size.max(o.size), numbers.max(o.numbers), flags | o.flags);
    }
  }

  private static final Data NOTHING = new Data(Lin.ZERO, Lin.ZERO, 0);
  /** A number, a date, a duration, a boolean. */
  private static final Data SCALAR = new Data(Lin.ONE, Lin.ONE, 0);

  /** A FEEL function defined as a context entry; its body is read at each call. */
  private record Fn(String name, FunctionDefNode def, Scope closure, SourceSpan at)
      implements V {}

  /** A boxed function definition: a business knowledge model or a boxed context entry. */
  private record BoxedFn(String name, FunctionDefinition def, Scope closure) implements V {}

  /** A FEEL built-in function. */
  private record Builtin(String name) implements V {}

  /** A decision service: calling one is refused. */
  private record Service(String name) implements V {}

  /** Names in scope, innermost first. */
  private static class Scope {
    final Scope parent;
    final Map<String, V> names = new HashMap<>();
    /** Inside a filter: names not found may be entries of the element being tested. */
    Data item;

    Scope(Scope parent) {
      this.parent = parent;
    }

    V find(String name) {
      return names.get(name);
    }
  }

  // ---- the analysis of one model ----

  private static final class Analysis {
    private static final Set<String> BUILTINS = builtins();

    private final Source file;
    private final Definitions definitions;
    private final DmnScreen.Positions positions;
    private final FEELImpl feel;
    private final CompilerContext parsing;
    private final Map<Object, ASTNode> parsed = new IdentityHashMap<>();
    private final Set<Object> calling = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Decision> decisions = new LinkedHashMap<>();
    private final Map<String, V> decided = new HashMap<>();
    private final Set<String> deciding = new HashSet<>();
    private final Scope root;
    /** Every {@code <text>} of the file: where it starts and what it holds, in file order. */
    private final List<Map.Entry<Integer, String>> texts;

    /** Work counted so far (of the loop body being read, inside a loop). */
    Lin work = Lin.ZERO;
    private long steps;
    /** The {@code <text>} (or element) being read: where a refusal is reported. */
    SourceSpan at;

    Analysis(Source file, Definitions definitions) {
      this.file = file;
      this.definitions = definitions;
      this.positions = new DmnScreen.Positions(file);
      this.at = SourceSpan.at(file.name(), 1, 1);
      this.feel = (FEELImpl) FEEL.newInstance(DmnModels.NO_CLASSES,
          List.of(new KieExtendedFEELProfile()));
      this.parsing = feel.newCompilerContext();
      // Every name of the file, so that names with spaces read as Kogito's compiler read them.
      Set<String> all = new HashSet<>();
      names(definitions, all);
      all.forEach(n -> parsing.addInputVariableType(n, BuiltInType.UNKNOWN));
      this.texts = DmnScreen.texts(file);
      this.root = new Scope(null) {
        @Override
        V find(String name) {
          V known = names.get(name);
          if (known != null || !decisions.containsKey(name)) {
            return known;
          }
          return decision(name);
        }
      };
    }

    void run() {
      for (DRGElement e : definitions.getDrgElement()) {
        if (e instanceof InputData input) {
          root.names.put(input.getName(), input(input));
        } else if (e instanceof BusinessKnowledgeModel bkm) {
          FunctionDefinition logic = bkm.getEncapsulatedLogic();
          if (logic != null) {
            root.names.put(bkm.getName(), new BoxedFn(bkm.getName(), logic, root));
          }
        } else if (e instanceof DecisionService service) {
          root.names.put(service.getName(), new Service(service.getName()));
        } else if (e instanceof Decision d) {
          decisions.put(d.getName(), d);
        }
      }
      // Every decision is evaluated once per evaluation (evaluateAll), whoever reads it.
      for (String name : decisions.keySet()) {
        decision(name);
      }
      itemDefinitions();
    }

    /**
     * An input: a text of up to n characters, unless its type is a number, a boolean, a date or
     * a duration (the checker binds inputs to values of their type).
     */
    private Data input(InputData input) {
      javax.xml.namespace.QName type = input.getVariable() == null ? null
          : input.getVariable().getTypeRef();
      for (int hops = 0; type != null && hops < 16; hops++) {
        String name = type.getLocalPart();
        if (Set.of("number", "boolean", "date", "time", "date and time", "dateTime",
            "days and time duration", "dayTimeDuration", "years and months duration",
            "yearMonthDuration").contains(name)) {
          return SCALAR;
        }
        type = definitions.getItemDefinition().stream()
            .filter(d -> name.equals(d.getName()) && d.getItemComponent().isEmpty()
                && !d.isIsCollection())
            .map(ItemDefinition::getTypeRef).findFirst().orElse(null);
      }
      return new Data(Lin.INPUT, Lin.ONE, TEXT);
    }

    /** A decision's value, read once: its work is counted once. */
    private V decision(String name) {
      V known = decided.get(name);
      if (known != null) {
        return known;
      }
      Decision d = decisions.get(name);
      SourceSpan before = at;
      at = tag(d, "decision");
      if (!deciding.add(name)) {
        throw new Refusal(Codes.DMN_RECURSION, at, "decision \"" + name + "\" requires itself");
      }
      V value = d.getExpression() == null ? NOTHING : boxed(d.getExpression(), root);
      deciding.remove(name);
      decided.put(name, value);
      at = before;
      return value;
    }

    /**
     * Allowed values and type constraints: tested on inputs and decision results, at most once
     * per decision and per value it reads.
     */
    private void itemDefinitions() {
      Lin largest = Lin.INPUT;
      for (V v : decided.values()) {
        if (v instanceof Data d) {
          largest = largest.max(d.size);
        }
      }
      long checks = Lin.mul(decisions.size() + 1L, decisions.size() + inputs() + 1L);
      Data value = new Data(largest, largest, TEXT);
      for (ItemDefinition item : definitions.getItemDefinition()) {
        itemDefinition(item, value, checks);
      }
    }

    private long inputs() {
      return definitions.getDrgElement().stream().filter(e -> e instanceof InputData).count();
    }

    private void itemDefinition(ItemDefinition item, Data value, long checks) {
      for (UnaryTests tests : new UnaryTests[] {item.getAllowedValues(), item.getTypeConstraint()}) {
        if (tests == null || tests.getText() == null) {
          continue;
        }
        Lin before = work;
        work = Lin.ZERO;
        Scope scope = new Scope(root);
        scope.names.put("?", value);
        unaryTests(tests, scope);
        Lin once = work;
        work = before;
        // Every element of a collection is tested.
        Lin each = item.isIsCollection() ? product(once, value.size, Codes.DMN_COST,
            "tests every element of a list whose length grows with the inputs") : once;
        charge(each.times(checks));
      }
      for (ItemDefinition component : item.getItemComponent()) {
        itemDefinition(component, value, checks);
      }
    }

    // ---- boxed expressions ----

    private V boxed(Expression e, Scope s) {
      if (e == null) {
        return NOTHING;
      }
      step();
      if (e instanceof LiteralExpression literal) {
        return within(literal, literal.getText(), () -> feel(literal.getText(), literal, false, s));
      }
      if (e instanceof DecisionTable table) {
        return table(table, s);
      }
      if (e instanceof Context context) {
        return boxedContext(context, s);
      }
      if (e instanceof Invocation invocation) {
        return boxedInvocation(invocation, s);
      }
      if (e instanceof FunctionDefinition def) {
        return boxedFunction("(anonymous)", def, s);
      }
      if (e instanceof org.kie.dmn.model.api.List list) {
        Data all = NOTHING;
        for (Expression element : list.getExpression()) {
          all = sum(all, data(boxed(element, s), "a list element"));
        }
        return sized(all.size.plus(list.getExpression().size()), all);
      }
      if (e instanceof Relation relation) {
        Data all = NOTHING;
        for (org.kie.dmn.model.api.List row : relation.getRow()) {
          all = sum(all, data(boxed(row, s), "a relation row"));
        }
        return all;
      }
      if (e instanceof Conditional conditional) {
        data(boxed(child(conditional.getIf()), s), "a condition");
        Data then = data(boxed(child(conditional.getThen()), s), "a result");
        Data otherwise = data(boxed(child(conditional.getElse()), s), "a result");
        return then.join(otherwise);
      }
      if (e instanceof Iterator iterator) {
        return boxedIterator(iterator, s);
      }
      if (e instanceof Filter filter) {
        Data list = data(boxed(child(filter.getIn()), s), "a filtered list");
        Scope inner = new Scope(s);
        inner.item = list.part();
        inner.names.put("item", list.part());
        Lin w = measured(() -> data(boxed(child(filter.getMatch()), inner), "a filter"));
        charge(product(w.plus(1), list.size, Codes.DMN_ITERATION,
            "filters a list whose length grows with the inputs with a test whose cost grows"
                + " with them too"));
        return list.part();
      }
      throw new Refusal(Codes.DMN_COST, at, "a boxed " + e.getClass().getSimpleName()
          .replaceFirst("^T", "") + " cannot be bounded; write it as a literal expression");
    }

    private static Expression child(ChildExpression c) {
      return c == null ? null : c.getExpression();
    }

    private V boxedContext(Context context, Scope s) {
      Scope inner = new Scope(s);
      Map<String, V> entries = new LinkedHashMap<>();
      V result = null;
      for (ContextEntry entry : context.getContextEntry()) {
        InformationItem variable = entry.getVariable();
        String name = variable == null ? null : variable.getName();
        V value = entry.getExpression() instanceof FunctionDefinition def
            ? boxedFunction(name, def, inner) : boxed(entry.getExpression(), inner);
        if (name == null) {
          result = value; // the context's result entry
        } else {
          inner.names.put(name, value);
          entries.put(name, value);
        }
      }
      return result != null ? result : contextOf(entries);
    }

    private V boxedFunction(String name, FunctionDefinition def, Scope s) {
      FunctionKind kind = def.getKind();
      if (kind != null && kind != FunctionKind.FEEL) {
        // The screen refuses these first; never evaluated here either.
        throw new Refusal(Codes.DMN_EXTERNAL_FUNCTION, at, "a function of kind " + kind
            + " is not allowed in a DMN file");
      }
      return new BoxedFn(name, def, s);
    }

    private V boxedInvocation(Invocation invocation, Scope s) {
      String name = invocation.getExpression() instanceof LiteralExpression l && l.getText() != null
          ? l.getText().strip() : "";
      Map<String, Data> named = new LinkedHashMap<>();
      invocation.getBinding().forEach(b -> named.put(b.getParameter().getName(),
          data(boxed(b.getExpression(), s), "an argument")));
      return call(name, function(name, s), List.of(), named, List.of());
    }

    private V boxedIterator(Iterator iterator, Scope s) {
      Expression in = child(iterator.getIn());
      Lin count;
      Data element;
      Long literal = in instanceof LiteralExpression l
          ? within(l, l.getText(), () -> literalRange(l)) : null;
      if (literal != null) {
        count = Lin.of(literal);
        element = SCALAR;
        boxed(in, s);
      } else {
        Data domain = data(boxed(in, s), "an iteration domain");
        if ((domain.flags & RANGE) != 0) {
          SourceSpan where = in instanceof LiteralExpression l ? text(l, l.getText()) : at;
          throw new Refusal(Codes.DMN_ITERATION, where, "iterates over a range that is not written"
              + " with number literals at both ends: a range value can span any number of"
              + " values; write [1..100] with literal ends (at most "
              + Lin.number(MAX_RANGE) + " values)");
        }
        count = domain.size;
        element = domain.part();
      }
      Scope inner = new Scope(s);
      inner.names.put(iterator.getIteratorVariable(), element);
      Expression body = iterator instanceof For f ? child(f.getReturn())
          : child(((Quantified) iterator).getSatisfies());
      Data[] result = new Data[1];
      Lin w = measured(() -> result[0] = data(boxed(body, inner), "an iteration result"));
      charge(product(w.plus(1), count, Codes.DMN_ITERATION, ITERATES_ON_INPUTS));
      if (iterator instanceof For) {
        return sized(product(result[0].size.plus(1), count, Codes.DMN_ITERATION,
            ITERATES_ON_INPUTS), new Data(result[0].size, product(result[0].numbers, count,
                Codes.DMN_ITERATION, ITERATES_ON_INPUTS), result[0].flags));
      }
      return SCALAR; // Some, Every
    }

    /** The number of values of a range written with number literals at both ends, or null. */
    private Long literalRange(LiteralExpression l) {
      if (l.getText() == null) {
        return null;
      }
      ASTNode n = parse(l.getText(), l, false);
      if (n instanceof RangeNode r) {
        BigDecimal start = literal(r.getStart());
        BigDecimal end = literal(r.getEnd());
        if (start != null && end != null) {
          return span(start, end);
        }
      }
      return null;
    }

    // ---- decision tables ----

    private V table(DecisionTable table, Scope s) {
      List<Data> inputs = new ArrayList<>();
      for (InputClause input : table.getInput()) {
        Data value = input.getInputExpression() == null ? NOTHING
            : data(boxed(input.getInputExpression(), s), "a table input");
        inputs.add(value);
        if (input.getInputValues() != null) {
          tested(input.getInputValues(), s, value);
        }
      }
      Data outputs = NOTHING;
      Lin outputValues = Lin.ZERO;
      for (OutputClause output : table.getOutput()) {
        if (output.getOutputValues() != null) {
          Lin once = measured(() -> tested(output.getOutputValues(), s, NOTHING));
          charge(once);
          outputValues = outputValues.plus(once);
        }
        if (output.getDefaultOutputEntry() != null) {
          outputs = sum(outputs, data(boxed(output.getDefaultOutputEntry(), s), "an output"));
        }
      }
      for (DecisionRule rule : table.getRule()) {
        step();
        for (int i = 0; i < rule.getInputEntry().size(); i++) {
          tested(rule.getInputEntry().get(i), s, i < inputs.size() ? inputs.get(i) : NOTHING);
        }
        for (LiteralExpression entry : rule.getOutputEntry()) {
          outputs = sum(outputs, data(boxed(entry, s), "an output"));
        }
        // A priority looks each matched output up in the output values.
        charge(outputValues);
      }
      // Every matched row's outputs, as a list (COLLECT) or one of them: at most their sum.
      return sized(outputs.size.plus(table.getRule().size()), outputs);
    }

    /** Unary tests applied to {@code value} ({@code ?}). */
    private void tested(UnaryTests tests, Scope s, Data value) {
      Scope scope = new Scope(s);
      scope.names.put("?", value);
      unaryTests(tests, scope);
    }

    private void unaryTests(UnaryTests tests, Scope s) {
      if (tests.getText() != null) {
        within(tests, tests.getText(), () -> feel(tests.getText(), tests, true, s));
      }
    }

    // ---- FEEL ----

    private V feel(String text, Object owner, boolean unaryTests, Scope s) {
      if (text == null || text.isBlank()) {
        return NOTHING;
      }
      return eval(parse(text, owner, unaryTests), s);
    }

    private ASTNode parse(String text, Object owner, boolean unaryTests) {
      return parsed.computeIfAbsent(owner, o -> unaryTests
          ? feel.processUnaryTests(text, parsing).getInterpreted().getASTNode()
          : feel.processExpression(text, parsing).getInterpreted().getASTNode());
    }

    private V eval(ASTNode n, Scope s) {
      step();
      if (n == null || n instanceof NullNode || n instanceof UndefinedValueNode
          || n instanceof DashNode || n instanceof TypeNode) {
        return NOTHING;
      }
      if (n instanceof StringNode string) {
        return text(Lin.of(string.getText().length()));
      }
      if (n instanceof NumberNode number) {
        return new Data(Lin.of(number.getText().length()), Lin.ONE, 0);
      }
      if (n instanceof BooleanNode || n instanceof AtLiteralNode
          || n instanceof TemporalConstantNode) {
        return SCALAR;
      }
      if (n instanceof NameRefNode ref) {
        return value(ref.getText(), s);
      }
      if (n instanceof QualifiedNameNode q) {
        V v = value(q.getParts().get(0).getText(), s);
        for (int i = 1; i < q.getParts().size(); i++) {
          v = entry(data(v, q.getText()), q.getParts().get(i).getText());
        }
        return v;
      }
      if (n instanceof PathExpressionNode path) {
        Data of = data(eval(path.getExpression(), s), path.getText());
        charge(of.size);
        return entry(of, path.getName().getText());
      }
      if (n instanceof DescendantExpressionNode d) {
        Data of = data(eval(d.getExpression(), s), d.getText());
        charge(of.size);
        return of.part();
      }
      if (n instanceof FilterExpressionNode f) {
        return filter(f, s);
      }
      if (n instanceof ForExpressionNode f) {
        return iteration(f.getIterationContexts(), f.getExpression(), true, s);
      }
      if (n instanceof QuantifiedExpressionNode q) {
        return iteration(q.getIterationContexts(), q.getExpression(), false, s);
      }
      if (n instanceof FunctionInvocationNode call) {
        return invocation(call, s);
      }
      if (n instanceof FunctionDefNode def) {
        throw functionValue(def.getText());
      }
      if (n instanceof ContextNode context) {
        return context(context, s);
      }
      if (n instanceof ListNode list) {
        Data all = NOTHING;
        for (ASTNode element : list.getElements()) {
          all = sum(all, data(eval(element, s), element.getText()));
        }
        return sized(all.size.plus(list.getElements().size()), all);
      }
      if (n instanceof IfExpressionNode i) {
        data(eval(i.getCondition(), s), i.getCondition().getText());
        Data then = data(eval(i.getThenExpression(), s), i.getText());
        Data otherwise = data(eval(i.getElseExpression(), s), i.getText());
        return then.join(otherwise);
      }
      if (n instanceof InfixOpNode op) {
        return infix(op, s);
      }
      if (n instanceof RangeNode r) {
        Data start = data(eval(r.getStart(), s), r.getText());
        Data end = data(eval(r.getEnd(), s), r.getText());
        return new Data(start.size.plus(end.size).plus(1), Lin.of(2),
            RANGE | ((start.flags | end.flags) & TEXT));
      }
      if (n instanceof UnaryTestListNode tests) {
        for (ASTNode test : tests.getElements()) {
          data(eval(test, s), test.getText());
        }
        return SCALAR;
      }
      if (n instanceof UnaryTestNode test) {
        Data value = data(eval(test.getValue(), s), test.getText());
        V input = s == null ? null : lookup("?", s);
        // Comparing with the tested value costs at most the smaller of the two.
        Lin compared = input instanceof Data d ? value.size.min(d.size) : value.size;
        charge(compared.plus(1));
        return SCALAR;
      }
      if (n instanceof InNode in) {
        Data value = data(eval(in.getValue(), s), in.getText());
        Data among = data(eval(in.getExprs(), s), in.getText());
        charge(value.size.plus(among.size));
        return SCALAR;
      }
      if (n instanceof BetweenNode between) {
        Lin touched = Lin.ZERO;
        for (ASTNode c : new ASTNode[] {between.getValue(), between.getStart(), between.getEnd()}) {
          touched = touched.plus(data(eval(c, s), between.getText()).size);
        }
        charge(touched);
        return SCALAR;
      }
      if (n instanceof InstanceOfNode instance) {
        Data value = data(eval(instance.getExpression(), s), instance.getText());
        charge(value.size); // a list type checks every element
        return SCALAR;
      }
      if (n instanceof SignedUnaryNode signed) {
        data(eval(signed.getExpression(), s), signed.getText());
        return SCALAR;
      }
      throw new Refusal(Codes.DMN_COST, at, "`" + n.getText() + "` cannot be bounded ("
          + n.getClass().getSimpleName() + ")");
    }

    private V context(ContextNode context, Scope s) {
      Scope inner = new Scope(s);
      Map<String, V> entries = new LinkedHashMap<>();
      for (ContextEntryNode entry : context.getEntries()) {
        String name = key(entry.getName());
        V value;
        if (entry.getValue() instanceof FunctionDefNode def) {
          if (def.isExternal()) {
            throw new Refusal(Codes.DMN_EXTERNAL_FUNCTION, at,
                "external functions are not allowed in a DMN file");
          }
          value = new Fn(name, def, inner, at);
        } else {
          value = eval(entry.getValue(), inner);
        }
        inner.names.put(name, value);
        entries.put(name, value);
      }
      return contextOf(entries);
    }

    private static String key(ASTNode name) {
      if (name instanceof NameDefNode def) {
        return name(def);
      }
      if (name instanceof StringNode string) {
        return string.getValue();
      }
      return name.getText();
    }

    /** A defined name as Kogito reads it: its parts (words) joined by single spaces. */
    private static String name(NameDefNode def) {
      if (def.getName() != null) {
        return def.getName();
      }
      return def.getParts() == null ? def.getText() : String.join(" ", def.getParts());
    }

    /** A context of {@code entries}: it holds a function if one of them is one. */
    private Data contextOf(Map<String, V> entries) {
      Lin size = Lin.of(entries.size());
      Lin numbers = Lin.ZERO;
      int flags = 0;
      for (V v : entries.values()) {
        if (v instanceof Data d) {
          size = size.plus(d.size);
          numbers = numbers.plus(d.numbers);
          flags |= d.flags;
        } else {
          flags |= FUNCTION;
        }
      }
      return sized(size, new Data(size, numbers, flags, entries));
    }

    private V filter(FilterExpressionNode f, Scope s) {
      Data list = data(eval(f.getExpression(), s), f.getText());
      if (literal(f.getFilter()) != null) {
        charge(Lin.ONE);
        return list.part(); // list[2]: one element
      }
      Scope inner = new Scope(s);
      inner.item = list.part();
      inner.names.put("item", list.part());
      Lin w = measured(() -> data(eval(f.getFilter(), inner), f.getFilter().getText()));
      charge(product(w.plus(1), list.size, Codes.DMN_ITERATION,
          "filters a list whose length grows with the inputs with a test whose cost grows with"
              + " them too"));
      return list.part();
    }

    private static final String ITERATES_ON_INPUTS = "iterates over values whose number grows"
        + " with the inputs, doing work that grows with them too: the cost would grow as the"
        + " square of the inputs";

    /** {@code for}, {@code some}, {@code every}: each domain once per value of the previous. */
    private V iteration(List<IterationContextNode> contexts, ASTNode body, boolean isFor,
        Scope s) {
      Scope inner = new Scope(s);
      Lin count = Lin.ONE;
      for (IterationContextNode c : contexts) {
        Lin values;
        Data element;
        Data[] domain = new Data[1];
        Lin w;
        if (c.getRangeEndExpr() != null) {
          BigDecimal start = literal(c.getExpression());
          BigDecimal end = literal(c.getRangeEndExpr());
          if (start == null || end == null) {
            throw new Refusal(Codes.DMN_ITERATION, at, "`" + c.getText() + "` iterates over a"
                + " range whose ends are not both number literals: it could run over any number"
                + " of values; write the ends as numbers (at most "
                + Lin.number(MAX_RANGE) + " values)");
          }
          values = Lin.of(span(start, end));
          element = SCALAR;
          w = Lin.of(2);
        } else {
          w = measured(() -> domain[0] = data(eval(c.getExpression(), inner), c.getText()));
          if ((domain[0].flags & RANGE) != 0) {
            throw new Refusal(Codes.DMN_ITERATION, at, "`" + c.getText() + "` may iterate over"
                + " a range value, which can span any number of values; write the range as"
                + " `a..b` with number literals (at most " + Lin.number(MAX_RANGE)
                + " values)");
          }
          values = domain[0].size;
          element = domain[0].part();
        }
        charge(product(w, count, Codes.DMN_ITERATION, ITERATES_ON_INPUTS));
        count = product(count, values, Codes.DMN_ITERATION, ITERATES_ON_INPUTS);
        inner.names.put(name(c.getName()), element);
      }
      // Kogito's running result of a for: as large as the result itself, at most unbounded.
      inner.names.put("partial", new Data(Lin.of(Lin.INFINITE), Lin.ZERO, 0));
      Data[] result = new Data[1];
      Lin w = measured(() -> result[0] = data(eval(body, inner), body.getText()));
      charge(product(w.plus(1), count, Codes.DMN_ITERATION, ITERATES_ON_INPUTS));
      if (!isFor) {
        return SCALAR;
      }
      Lin size = product(result[0].size.plus(1), count, Codes.DMN_ITERATION, ITERATES_ON_INPUTS);
      Lin numbers = product(result[0].numbers, count, Codes.DMN_ITERATION, ITERATES_ON_INPUTS);
      return sized(size, new Data(size, numbers, result[0].flags));
    }

    /** The number of values from start to end (either way), at most {@link #MAX_RANGE}. */
    private long span(BigDecimal start, BigDecimal end) {
      BigDecimal values = start.subtract(end).abs().setScale(0, java.math.RoundingMode.FLOOR)
          .add(BigDecimal.ONE);
      if (values.compareTo(BigDecimal.valueOf(MAX_RANGE)) > 0) {
        String shown = values.compareTo(BigDecimal.valueOf(Lin.INFINITE)) < 0
            ? Lin.number(values.longValueExact()) : values.toPlainString();
        throw new Refusal(Codes.DMN_ITERATION, at, "iterates over " + shown
            + " values, more than the " + Lin.number(MAX_RANGE) + " a DMN file may"
            + " iterate over");
      }
      return values.longValueExact();
    }

    /** A number literal, signed or not; null for anything else. */
    private static BigDecimal literal(ASTNode n) {
      if (n instanceof NumberNode number) {
        return number.getValue();
      }
      if (n instanceof SignedUnaryNode signed && signed.getExpression() instanceof NumberNode number) {
        return signed.getSign() == SignedUnaryNode.Sign.NEGATIVE ? number.getValue().negate()
            : number.getValue();
      }
      return null;
    }

    private V infix(InfixOpNode op, Scope s) {
      Data left = data(eval(op.getLeft(), s), op.getText());
      Data right = data(eval(op.getRight(), s), op.getText());
      InfixOperator o = op.getOperator();
      if (o == InfixOperator.ADD) {
        if (((left.flags | right.flags) & TEXT) == 0) {
          charge(Lin.ONE);
          return SCALAR; // numbers, dates, durations
        }
        // Texts are joined (or, were one of them no text, numbers added: one number).
        Lin size = left.size.plus(right.size);
        Data sum = sized(size, new Data(size, Lin.ONE, TEXT));
        charge(size.plus(1));
        return sum;
      }
      if (o == InfixOperator.EQ || o == InfixOperator.NE || o == InfixOperator.LT
          || o == InfixOperator.LTE || o == InfixOperator.GT || o == InfixOperator.GTE) {
        // A comparison stops at the shorter operand.
        charge(left.size.min(right.size).plus(1));
        return SCALAR;
      }
      charge(Lin.ONE);
      return SCALAR;
    }

    // ---- calls ----

    private V invocation(FunctionInvocationNode call, Scope s) {
      if (!(call.getName() instanceof NameRefNode ref)) {
        throw new Refusal(Codes.DMN_RECURSION, at, "`" + call.getText() + "` calls a function"
            + " that is the result of an expression; call functions by their name, so that"
            + " every call can be followed");
      }
      String name = ref.getText();
      V f = function(name, s);
      List<Data> positional = new ArrayList<>();
      List<ASTNode> positionalNodes = new ArrayList<>();
      Map<String, Data> named = new LinkedHashMap<>();
      Map<String, ASTNode> namedNodes = new HashMap<>();
      for (ASTNode p : call.getParams().getElements()) {
        if (p instanceof NamedParameterNode np) {
          String key = name(np.getName());
          named.put(key, data(eval(np.getExpression(), s), np.getExpression().getText()));
          namedNodes.put(key, np.getExpression());
        } else {
          positional.add(data(eval(p, s), p.getText()));
          positionalNodes.add(p);
        }
      }
      List<ASTNode> nodes = new ArrayList<>(positionalNodes);
      return call(name, f, positional, named, nodes, namedNodes);
    }

    private V call(String name, V f, List<Data> positional, Map<String, Data> named,
        List<ASTNode> nodes) {
      return call(name, f, positional, named, nodes, Map.of());
    }

    private V call(String name, V f, List<Data> positional, Map<String, Data> named,
        List<ASTNode> nodes, Map<String, ASTNode> namedNodes) {
      if (f instanceof Fn fn) {
        List<String> params = fn.def().getFormalParameters().stream()
            .map(FormalParameterNode::getName).map(Analysis::name).toList();
        // A definition already being read is a recursion, whichever closure it was made in: a
        // function defined inside another is made anew at each call of the outer one.
        return inline(fn.def(), name, params, fn.closure(), positional, named, fn.at(),
            inner -> data(eval(fn.def().getBody(), inner), fn.def().getText()));
      }
      if (f instanceof BoxedFn fn) {
        List<String> params = fn.def().getFormalParameter().stream()
            .map(NamedElement::getName).toList();
        return inline(fn.def(), name, params, fn.closure(), positional, named, at,
            inner -> boxed(fn.def().getExpression(), inner));
      }
      if (f instanceof Builtin b) {
        return Builtins.apply(this, b.name(), new Args(positional, named, nodes, namedNodes));
      }
      if (f instanceof Service) {
        throw new Refusal(Codes.DMN_COST, at, "calls the decision service \"" + name + "\":"
            + " calling decision services is not supported in a DMN file; call a business"
            + " knowledge model instead");
      }
      throw new Refusal(Codes.DMN_RECURSION, at, "calls `" + name + "`, which is no function"
          + " defined in this file (a parameter, a value, an entry of a value): call functions"
          + " by the name they are defined with, so that every call can be followed");
    }

    /** A function's body read with the arguments' bounds; a function already being read is a recursion. */
    private V inline(Object function, String name, List<String> params, Scope closure,
        List<Data> positional, Map<String, Data> named, SourceSpan where,
        java.util.function.Function<Scope, V> body) {
      if (!calling.add(function)) {
        throw new Refusal(Codes.DMN_RECURSION, at, "`" + name + "` can call itself (directly or"
            + " through other functions): a recursion can run without end, and DMN files may"
            + " not recurse; use a decision table, or a `for` over a literal range");
      }
      Scope inner = new Scope(closure);
      for (int i = 0; i < params.size(); i++) {
        Data arg = i < positional.size() ? positional.get(i) : named.get(params.get(i));
        inner.names.put(params.get(i), arg == null ? NOTHING : arg);
      }
      SourceSpan caller = at;
      at = where == null ? caller : where;
      try {
        return body.apply(inner);
      } catch (Refusal r) {
        throw r.total ? new Refusal(r.code, caller, r.getMessage(), true) : r;
      } finally {
        at = caller;
        calling.remove(function);
      }
    }

    /** What a name denotes in a call. */
    private V function(String name, Scope s) {
      for (Scope c = s; c != null; c = c.parent) {
        if (c.item != null && (c.item.flags & FUNCTION) != 0) {
          throw new Refusal(Codes.DMN_RECURSION, at, "calls `" + name + "` inside a filter of"
              + " values that may hold functions: an entry of the element could be the function"
              + " called");
        }
        V v = c.find(name);
        if (v != null) {
          return v;
        }
      }
      return BUILTINS.contains(name) ? new Builtin(name) : null;
    }

    /** What a name denotes where a value is read: never a function. */
    private V value(String name, Scope s) {
      V v = lookup(name, s);
      if (v == null) {
        throw new Refusal(Codes.DMN_COST, at, "the name `" + name + "` cannot be resolved, so"
            + " what it costs cannot be bounded");
      }
      return v;
    }

    /** The name's value: in a filter, joined with what an entry of the element could be. */
    private V lookup(String name, Scope s) {
      Data item = null;
      for (Scope c = s; c != null; c = c.parent) {
        V v = c.find(name);
        if (v != null) {
          return item == null || !(v instanceof Data d) ? v : d.join(item);
        }
        if (c.item != null) {
          item = item == null ? c.item : item.join(c.item);
        }
      }
      if (item != null) {
        return item;
      }
      return BUILTINS.contains(name) ? new Builtin(name) : null;
    }

    private V entry(Data of, String name) {
      if (of.entries() != null && of.entries().containsKey(name)) {
        return of.entries().get(name);
      }
      return of.part();
    }

    // ---- bounds ----

    /** {@code v} where a value is read: a function there is a function used as a value. */
    Data data(V v, String where) {
      if (v instanceof Data d) {
        return d;
      }
      throw functionValue(where);
    }

    Refusal functionValue(String where) {
      return new Refusal(Codes.DMN_RECURSION, at, "a function is used as a value in `" + where
          + "`: functions may only be defined as context entries or business knowledge models"
          + " and called by name (not passed, stored, returned or used to sort), so that every"
          + " call can be followed");
    }

    Data sum(Data a, Data b) {
      return new Data(a.size.plus(b.size), a.numbers.plus(b.numbers), a.flags | b.flags);
    }

    Data text(Lin size) {
      return sized(size, new Data(size, Lin.ZERO, TEXT));
    }

    /** {@code d} with size {@code size}, refused when that is more than a value may hold. */
    Data sized(Lin size, Data d) {
      if (size.exceeds(MAX_SIZE, SIZE_PER_INPUT)) {
        throw new Refusal(Codes.DMN_COST, at, "can build a value of " + size.show()
            + " characters or elements" + perInput(size) + ", more than the "
            + Lin.number(MAX_SIZE) + " + " + SIZE_PER_INPUT + " × n a DMN file may"
            + " build");
      }
      return d.size.equals(size) ? d : new Data(size, d.numbers, d.flags, d.entries);
    }

    private static String perInput(Lin bound) {
      return bound.growsWithInputs() ? " (n: the inputs' total length)" : "";
    }

    /** {@code a × b}, refused with {@code code} when both grow with the inputs. */
    Lin product(Lin a, Lin b, String code, String why) {
      if (a.quadratic(b)) {
        throw new Refusal(code, at, why);
      }
      return a.times(b);
    }

    void charge(Lin steps) {
      work = work.plus(steps);
      if (work.exceeds(MAX_WORK, WORK_PER_INPUT)) {
        throw new Refusal(Codes.DMN_COST, at, "evaluating this model can take " + work.show()
            + " steps" + perInput(work) + ", more than the " + Lin.number(MAX_WORK) + " + "
            + Lin.number(WORK_PER_INPUT) + " × n a DMN file may take", true);
      }
    }

    private void step() {
      if (++steps > 10 * MAX_WORK) {
        // Every step is also counted as work; a backstop only.
        throw new Refusal(Codes.DMN_COST, at, "this model is too large to be bounded");
      }
      charge(Lin.ONE);
    }

    /** The work of {@code r}, counted apart (a loop body: the caller multiplies it). */
    private Lin measured(Runnable r) {
      Lin before = work;
      work = Lin.ZERO;
      try {
        r.run();
        return work;
      } finally {
        work = before;
      }
    }

    /** Reads {@code e}'s FEEL {@code content}, with refusals reported at its {@code <text>}. */
    private <T> T within(DMNModelInstrumentedBase e, String content,
        java.util.function.Supplier<T> read) {
      SourceSpan before = at;
      at = text(e, content);
      try {
        return read.get();
      } finally {
        at = before;
      }
    }

    // ---- positions ----

    /**
     * Where the {@code <text>} holding {@code content} of {@code e} starts: the first with that
     * content from the line Kogito gives for {@code e} (the line its start tag ends on).
     */
    private SourceSpan text(DMNModelInstrumentedBase e, String content) {
      DMNModelInstrumentedBase located = e;
      while (located != null && (located.getLocation() == null
          || located.getLocation().getLineNumber() < 1)) {
        located = located.getParent(); // DMN 1.5's boxed iterators keep no location
      }
      if (located == null) {
        return at;
      }
      int from = positions.lineStart(located.getLocation().getLineNumber());
      String wanted = content == null ? "" : content.strip();
      Integer first = null;
      for (Map.Entry<Integer, String> t : texts) {
        if (t.getKey() < from) {
          continue;
        }
        if (t.getValue().strip().equals(wanted)) {
          return positions.at(t.getKey());
        }
        if (first == null) {
          first = t.getKey();
        }
      }
      return first == null ? at : positions.at(first);
    }

    /** Where the element {@code <tag} whose start tag ends on {@code e}'s line starts. */
    private SourceSpan tag(DMNModelInstrumentedBase e, String tag) {
      if (e.getLocation() == null || e.getLocation().getLineNumber() < 1) {
        return at;
      }
      int end = positions.lineEnd(e.getLocation().getLineNumber());
      Matcher m = Pattern.compile("<([A-Za-z_][\\w.-]*:)?" + Pattern.quote(tag) + "[\\s>/]")
          .matcher(file.text()).region(0, end);
      int found = -1;
      while (m.find()) {
        found = m.start();
      }
      return found < 0 ? at : positions.at(found);
    }

    private static void names(DMNModelInstrumentedBase e, Set<String> into) {
      if (e instanceof NamedElement named && named.getName() != null) {
        into.add(named.getName());
      }
      if (e instanceof Iterator iterator && iterator.getIteratorVariable() != null) {
        into.add(iterator.getIteratorVariable());
      }
      for (DMNModelInstrumentedBase child : e.getChildren()) {
        names(child, into);
      }
    }

    private static Set<String> builtins() {
      Set<String> names = new HashSet<>();
      for (FEELFunction f : BuiltInFunctions.getFunctions()) {
        names.add(f.getName());
      }
      for (FEELFunction f : new KieExtendedFEELProfile().getFEELFunctions()) {
        names.add(f.getName());
      }
      return Set.copyOf(names);
    }
  }

  /** A call's arguments: bounds, and the text of each (regular expressions are read). */
  private record Args(List<Data> positional, Map<String, Data> named, List<ASTNode> nodes,
      Map<String, ASTNode> namedNodes) {

    int count() {
      return positional.size() + named.size();
    }

    /** The argument at {@code index}, or named {@code name}; null when not given. */
    Data get(int index, String name) {
      return index < positional.size() ? positional.get(index) : named.get(name);
    }

    ASTNode node(int index, String name) {
      return index < nodes.size() ? nodes.get(index) : namedNodes.get(name);
    }

    List<Data> all() {
      List<Data> all = new ArrayList<>(positional);
      all.addAll(named.values());
      return all;
    }
  }

  /** The bounds of FEEL's built-in functions. */
  private static final class Builtins {
    private Builtins() {}

    static V apply(Analysis a, String name, Args args) {
      Lin touched = Lin.ZERO;
      Data all = NOTHING;
      for (Data d : args.all()) {
        touched = touched.plus(d.size);
        all = a.sum(all, d);
      }
      switch (name) {
        // Numbers, dates, durations, booleans: read their arguments once.
        case "date", "time", "date and time", "duration", "years and months duration", "number",
            "string length", "contains", "starts with", "ends with", "list contains", "count",
            "min", "max", "sum", "mean", "product", "stddev", "all", "any", "not", "is",
            "decimal", "floor", "ceiling", "round up", "round down", "round half up",
            "round half down", "abs", "modulo", "sqrt", "log", "exp", "even", "odd",
            "day of year", "week of year", "now", "today", "after", "before", "coincides",
            "starts", "started by", "finishes", "finished by", "during", "includes", "overlaps",
            "overlaps before", "overlaps after", "meets", "met by", "nn any", "nn all",
            "nn count", "nn max", "nn mean", "nn min", "nn stddev", "nn sum" -> {
          a.charge(touched.plus(1));
          return SCALAR;
        }
        case "day of week", "month of year" -> {
          a.charge(touched.plus(1));
          return a.text(Lin.of(10));
        }
        case "median", "nn median" -> {
          a.charge(touched.times(LOG_SIZE).plus(1));
          return SCALAR;
        }
        // Parts of their first argument.
        case "substring", "substring before", "substring after", "sublist", "remove",
            "get value" -> {
          a.charge(touched.plus(1));
          Data first = args.get(0, firstName(name));
          return first == null ? NOTHING : first.part();
        }
        // At most all their arguments together.
        case "append", "concatenate", "insert before", "reverse", "index of", "flatten",
            "context", "context put", "context merge", "mode", "nn mode" -> {
          a.charge(touched.plus(1));
          return a.sized(all.size.plus(1), all);
        }
        case "list replace" -> {
          Data match = args.get(1, "position");
          if (match == null) {
            match = args.get(1, "match");
          }
          if (match != null && (match.flags & FUNCTION) != 0) {
            throw a.functionValue("list replace");
          }
          a.charge(touched.plus(1));
          return a.sized(all.size.plus(1), all);
        }
        case "upper case", "lower case" -> {
          // Some letters change into several (ß → SS).
          a.charge(touched.plus(1));
          return a.text(touched.times(3));
        }
        case "get entries" -> {
          a.charge(touched.plus(1));
          return a.sized(touched.times(4).plus(1), new Data(touched.times(4).plus(1), all.numbers,
              all.flags));
        }
        case "sort" -> {
          if (args.count() > 1) {
            throw a.functionValue("sort(..., precedes)");
          }
          a.charge(touched.times(LOG_SIZE).plus(1));
          return all;
        }
        case "union", "distinct values" -> {
          // Kogito compares each element with every element kept so far.
          a.charge(a.product(touched, touched, Codes.DMN_COST, "`" + name + "` compares every"
              + " element with every other, on a list whose length grows with the inputs: the"
              + " cost would grow as the square of the inputs").plus(1));
          return a.sized(all.size.plus(1), all);
        }
        case "range" -> {
          a.charge(touched.plus(1));
          return new Data(touched.plus(1), Lin.of(2), RANGE | TEXT);
        }
        case "string", "code" -> {
          if (args.count() > 1) {
            throw new Refusal(Codes.DMN_COST, a.at, "`string(mask, ...)` formats with a Java"
                + " format mask, whose widths can build texts of any length; build the text"
                + " with + and string(x)");
          }
          Lin size = all.size.times(3).plus(all.numbers.times(NUMBER_TEXT)).plus(2);
          a.charge(size);
          return a.text(size);
        }
        case "string join" -> {
          Data list = args.get(0, "list");
          Data delimiter = args.get(1, "delimiter");
          Lin size = list == null ? Lin.ZERO : list.size.times(3).plus(list.numbers.times(NUMBER_TEXT));
          if (delimiter != null && list != null) {
            size = size.plus(a.product(list.size, delimiter.size, Codes.DMN_COST,
                "joins a list whose length grows with the inputs with a delimiter that grows with"
                    + " them too"));
          }
          a.charge(size.plus(1));
          return a.text(size);
        }
        case "matches", "replace", "split" -> {
          return Regexes.apply(a, name, args);
        }
        default -> throw new Refusal(Codes.DMN_COST, a.at, "the function `" + name + "` is not"
            + " allowed in a DMN file: " + (name.equals("invoke")
                ? "it evaluates a model from within a model, which can recurse without end"
                : "what it costs cannot be bounded"));
      }
    }

    private static String firstName(String function) {
      return switch (function) {
        case "sublist", "remove" -> "list";
        case "get value" -> "m";
        default -> "string";
      };
    }
  }

  /** matches, replace, split: a literal pattern, and what it can cost on its text. */
  private static final class Regexes {
    private Regexes() {}

    static V apply(Analysis a, String name, Args args) {
      boolean split = name.equals("split");
      String subjectName = split ? "string" : "input";
      String patternName = split ? "delimiter" : "pattern";
      Data subject = args.get(0, subjectName);
      Data pattern = args.get(1, patternName);
      if (subject == null || pattern == null) {
        return NOTHING; // a call Kogito refuses at run time
      }
      String text = literal(a, args.node(1, patternName), name, "pattern");
      String flags = null;
      int flagsAt = name.equals("replace") ? 3 : 2;
      if (!split && args.get(flagsAt, "flags") != null) {
        flags = literal(a, args.node(flagsAt, "flags"), name, "flags");
      }
      RegexCost cost = RegexCost.read(text, flags,
          split ? RegexCost.Flavour.JAVA : RegexCost.Flavour.XPATH);
      if (cost.refused != null) {
        throw new Refusal(Codes.DMN_REGEX, a.at, "the pattern \"" + text + "\" of `" + name
            + "` is not allowed: " + cost.refused);
      }
      Lin n = subject.size;
      Lin steps;
      if (n.growsWithInputs()) {
        if (cost.degree() > 1) {
          throw new Refusal(Codes.DMN_REGEX, a.at, "the pattern \"" + text + "\" of `" + name
              + "` is applied to a text that grows with the inputs, and can take time that grows"
              + " as the " + (cost.degree() == 2 ? "square" : "power " + cost.degree())
              + " of its length: use at most one of *, + or {m,} in it, and start it with ^"
              + " when it has one (a leading .* is not needed: matches looks anywhere)");
        }
        // Degree at most 1: linear in the text; the constant part bounds its coefficient.
        long perChar = cost.steps(1) - cost.steps(0);
        steps = new Lin(Lin.add(cost.steps(n.c()), 0), Lin.mul(n.k(), Math.max(perChar, 1)));
      } else {
        steps = Lin.of(cost.steps(n.c()));
      }
      if (steps.exceeds(MAX_WORK, WORK_PER_INPUT)) {
        throw new Refusal(Codes.DMN_REGEX, a.at, "the pattern \"" + text + "\" of `" + name
            + "` can take " + steps.show() + " steps on its text: simplify it");
      }
      a.charge(split ? steps : steps.plus(SAXON_CALL));
      if (name.equals("matches")) {
        return SCALAR;
      }
      if (split) {
        return a.sized(n.times(2).plus(1), new Data(n.times(2).plus(1), Lin.ZERO, 0));
      }
      Data replacement = args.get(2, "replacement");
      Lin size = a.product(n.plus(1), (replacement == null ? Lin.ZERO : replacement.size)
          .plus(1), Codes.DMN_COST, "replaces in a text that grows with the inputs with a"
          + " replacement that grows with them too").times(2);
      return a.text(size);
    }

    private static String literal(Analysis a, ASTNode node, String function, String what) {
      if (node instanceof StringNode s) {
        return s.getValue();
      }
      throw new Refusal(Codes.DMN_REGEX, a.at, "the " + what + " of `" + function + "` must be"
          + " a literal text (\"...\"), so that what it can cost is known before it runs");
    }
  }
}
