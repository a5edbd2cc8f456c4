package io.relais.dsl.check;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Template;
import io.relais.dsl.ast.ValueType;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checker's side table: the type of every expression node and what each name resolved
 * to, keyed by node identity (records compare by value, and two equal nodes may sit in two
 * rules with different guards).
 */
public final class Resolutions {

  private final Map<Expr, ValueType> types = new IdentityHashMap<>();
  private final Map<Object, Resolution> names = new IdentityHashMap<>();

  Resolutions() {}

  /** The type of {@code expr}; every node of a checked ruleset has one. */
  public ValueType typeOf(Expr expr) {
    ValueType type = types.get(expr);
    if (type == null) {
      throw new IllegalArgumentException("not a checked node: " + expr);
    }
    return type;
  }

  /**
   * What {@code expr} names: for {@link Expr.Path}, {@link Expr.NameRef}, {@link Expr.EventIs},
   * {@link Expr.Count}, {@link Expr.Sum} and {@link Expr.DaysSinceLast}; empty for the others.
   */
  public Optional<Resolution> resolutionOf(Expr expr) {
    return Optional.ofNullable(names.get(expr));
  }

  /** What a template placeholder names: a contact field, a triggering event attribute or a define. */
  public Resolution resolutionOf(Template.Placeholder placeholder) {
    Resolution resolution = names.get(placeholder);
    if (resolution == null) {
      throw new IllegalArgumentException("not a checked placeholder: " + placeholder.dotted());
    }
    return resolution;
  }

  /** What a {@code {{decision 'D' of 'T'}}} placeholder reads (docs/language.md ("Decision tables")). */
  public Resolution.DecisionValue resolutionOf(Template.DecisionPlaceholder placeholder) {
    if (!(names.get(placeholder) instanceof Resolution.DecisionValue value)) {
      throw new IllegalArgumentException("not a checked placeholder: " + placeholder);
    }
    return value;
  }

  void type(Expr expr, ValueType type) {
    if (type != null) {
      types.put(expr, type);
    }
  }

  void resolve(Object node, Resolution resolution) {
    names.put(node, resolution);
  }

  int size() {
    return types.size();
  }
}
