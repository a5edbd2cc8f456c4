package io.relais.engine.evaluation;

/**
 * A tag the snapshot's contact has, or a segment it is in, as a fact of its own: the rules whose
 * network tests begin with that tag's or segment's presence match it, hashed on its name
 * (DroolsModel.anchor), so a snapshot reaches the rules of the tags its contact has, not every
 * rule testing a tag. Inserted with its snapshot, only for the names some rule is reached
 * through, and deleted with it.
 */
abstract sealed class Member permits Member.Tag, Member.Segment {

  final CompiledRuleset.PhaseSnapshot snapshot;
  final String name;

  private Member(CompiledRuleset.PhaseSnapshot snapshot, String name) {
    this.snapshot = snapshot;
    this.name = name;
  }

  /** The contact has the tag (its count is at least 1). */
  static final class Tag extends Member {
    Tag(CompiledRuleset.PhaseSnapshot snapshot, String name) {
      super(snapshot, name);
    }
  }

  /** The contact is in the segment. */
  static final class Segment extends Member {
    Segment(CompiledRuleset.PhaseSnapshot snapshot, String name) {
      super(snapshot, name);
    }
  }
}
