package io.relais.dsl.program;

import io.relais.dsl.ast.Expr;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the conditions and values of a program were written: the checked syntax node each was
 * lowered from, keyed by node identity (records compare by value, and two equal nodes may
 * stand in two places). It gives a message about a program node the author's position and
 * text; a placeholder's value has no syntax node and no entry.
 */
public final class Origins {

  /** A program built by hand: no node has a known origin. */
  public static final Origins NONE = new Origins(new IdentityHashMap<>());

  private final Map<Object, Expr> syntax;

  /** The table of {@code syntax}, an identity map from program node to its syntax. */
  public Origins(IdentityHashMap<Object, Expr> syntax) {
    this.syntax = new IdentityHashMap<>(syntax);
  }

  /** The syntax {@code condition} was lowered from. */
  public Optional<Expr> of(Cond condition) {
    return Optional.ofNullable(syntax.get(condition));
  }

  /** The syntax {@code value} was lowered from; empty for a placeholder's value. */
  public Optional<Expr> of(Value value) {
    return Optional.ofNullable(syntax.get(value));
  }
}
