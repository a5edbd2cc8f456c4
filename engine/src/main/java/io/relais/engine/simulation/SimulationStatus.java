package io.relais.engine.simulation;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /simulations/{id}} shows: the simulation's progress and, summed over its
 * slices so far, its result (final once {@code state} is {@code DONE}).
 *
 * @param activeVersion the version active when the simulation started, replayed on one side
 * @param candidateVersion the stored version replayed on the other side; null for files
 * @param state {@code RUNNING}, {@code DONE} or {@code CANCELLED}
 * @param total contacts meeting the filter when it started
 * @param done contacts read so far (with events in the period or not)
 * @param contacts contacts with events in the period, replayed with both versions
 * @param events events replayed (each with both versions)
 * @param startsCorrected contacts whose rebuilt start differed from the state their last event
 *     before the period recorded, and was set to it (docs/simulations.md)
 * @param rate events replayed per second since the start
 */
public record SimulationStatus(String id, String ruleset, int activeVersion, Integer candidateVersion,
    Instant from, Instant until, String filter, String state, long total, long done, long contacts, long events,
    long startsCorrected, long errors, List<String> errorSamples, double rate, Instant createdAt,
    Instant updatedAt, int slices, int slicesDone, List<Warning> candidateWarnings, Result result) {

  public SimulationStatus {
    errorSamples = List.copyOf(errorSamples);
    candidateWarnings = List.copyOf(candidateWarnings);
  }

  /** A warning the checker gave the candidate (an error would have refused it). */
  public record Warning(String file, int line, int column, String code, String message) {}

  /** What the two versions decided and left. */
  public record Result(Decisions decisions, Changes contacts, List<AlertCount> alerts, List<MessageCount> messages) {
    public Result {
      alerts = List.copyOf(alerts);
      messages = List.copyOf(messages);
    }
  }

  /** Decisions by type and by rule. */
  public record Decisions(List<TypeCount> byType, List<RuleCount> byRule) {
    public Decisions {
      byType = List.copyOf(byType);
      byRule = List.copyOf(byRule);
    }
  }

  /** Decisions of one type: for the active version, the candidate, and candidate minus active. */
  public record TypeCount(String type, long active, long candidate, long difference) {}

  /** Decisions of one rule ({@code (lifecycle)}: made by no rule): active, candidate, difference. */
  public record RuleCount(String rule, long active, long candidate, long difference) {}

  /** Alerts to one recipient. */
  public record AlertCount(String recipient, long active, long candidate, long difference) {}

  /**
   * Messages of one campaign step ({@code campaign} null: a {@code send} action, {@code step}
   * its rule).
   */
  public record MessageCount(String campaign, String step, long active, long candidate, long difference) {}

  /**
   * Contacts whose final state differs between the two versions: how many in all and in each
   * part, and the {@value SimulationTally#SAMPLE} of smallest id with both states.
   */
  public record Changes(long changed, long stage, long tier, long segments, long enrollments, List<Changed> sample) {
    public Changes {
      sample = List.copyOf(sample);
    }
  }

  /** One contact whose final state differs. */
  public record Changed(String contactId, FinalState active, FinalState candidate) {}

  /** A contact's final state as a simulation compares it. */
  public record FinalState(int score, String stage, String tier, List<String> segments,
      List<FinalEnrollment> enrollments) {
    public FinalState {
      segments = List.copyOf(segments);
      enrollments = List.copyOf(enrollments);
    }
  }

  /** An enrollment in a final state. */
  public record FinalEnrollment(String campaign, Instant enrolledAt, boolean active) {}
}
