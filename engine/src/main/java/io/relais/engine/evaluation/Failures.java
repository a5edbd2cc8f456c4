package io.relais.engine.evaluation;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure inside a rule's condition or action, as a decision's warning may show it: a short
 * incident id, never a class name or a stack trace (those go to the log under the same id).
 * Valid rulesets should never get here; when one does, authors and callers see which rule,
 * and operators find the cause in the log.
 */
final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** Logs {@code e} for {@code rule} and returns the words a warning shows for it. */
  static String describe(String rule, RuntimeException e) {
    String incident = UUID.randomUUID().toString().substring(0, 8);
    log.warn("Incident {} in rule {}", incident, rule, e);
    return "an internal error (incident " + incident + ")";
  }
}
