package io.relais.engine.evaluation;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;

/**
 * Where a Drools cycle's conditions report values of the wrong type: it keeps only that one
 * was reported. The order in which Drools evaluates conditions depends on the shape of the
 * network (and so on which phases share a cycle), while a decision's warnings must not: when
 * this saw any, each phase of the cycle evaluates its conditions again, in rule order, into
 * the evaluation's warnings (CompiledRuleset). Values of the wrong type are rare; without
 * them this costs one object per cycle.
 */
final class MatchWarnings extends AbstractSet<String> {

  private boolean seen;

  /** Whether any condition of the cycle reported a value of the wrong type. */
  boolean seen() {
    return seen;
  }

  @Override
  public boolean add(String warning) {
    seen = true;
    return true;
  }

  @Override
  public Iterator<String> iterator() {
    return Collections.emptyIterator();
  }

  @Override
  public int size() {
    return 0;
  }
}
