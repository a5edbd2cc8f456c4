package io.relais.engine.evaluation;

import java.util.ArrayList;
import java.util.List;

/** Decisions and warnings as one evaluation produces them, in order. */
final class Effects {
  final List<Decision> decisions = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  void decide(Decision decision) {
    decisions.add(decision);
  }

  void warn(Decision.RuleRef rule, String message) {
    warnings.add(rule.source() + ": rule \"" + rule.name() + "\": " + message);
  }
}
