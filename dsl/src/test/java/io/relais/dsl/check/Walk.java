package io.relais.dsl.check;

import io.relais.dsl.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/** Every node of an expression tree, for tests that look at each one. */
final class Walk {

  private Walk() {}

  static List<Expr> all(Expr root) {
    List<Expr> out = new ArrayList<>();
    add(root, out);
    return out;
  }

  private static void add(Expr e, List<Expr> out) {
    out.add(e);
    if (e instanceof Expr.Count c) {
      c.where().ifPresent(w -> add(w, out));
    } else if (e instanceof Expr.Sum s) {
      s.where().ifPresent(w -> add(w, out));
    } else if (e instanceof Expr.Arithmetic a) {
      add(a.left(), out);
      add(a.right(), out);
    } else if (e instanceof Expr.Compare c) {
      add(c.left(), out);
      add(c.right(), out);
    } else if (e instanceof Expr.Between b) {
      add(b.value(), out);
      add(b.low(), out);
      add(b.high(), out);
    } else if (e instanceof Expr.InList in) {
      add(in.value(), out);
      in.items().forEach(i -> add(i, out));
    } else if (e instanceof Expr.Contains c) {
      add(c.value(), out);
      add(c.needle(), out);
    } else if (e instanceof Expr.Matches m) {
      add(m.value(), out);
      add(m.glob(), out);
    } else if (e instanceof Expr.IsEmpty i) {
      add(i.value(), out);
    } else if (e instanceof Expr.Not n) {
      add(n.operand(), out);
    } else if (e instanceof Expr.Logical l) {
      add(l.left(), out);
      add(l.right(), out);
    }
  }
}
