package io.relais.dsl.check;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/**
 * What a ruleset says about when and how often marketing messages go out (docs/language.md
 * "Quiet hours and frequency caps"): its quiet hours, if any, and its caps.
 *
 * @param quietHours local times of day between which a message waits (may wrap midnight)
 * @param caps the caps, in declaration order
 */
public record Sending(Optional<QuietHours> quietHours, List<Cap> caps) {

  /** No quiet hours, no caps. */
  public static final Sending NONE = new Sending(Optional.empty(), List.of());

  public Sending {
    caps = List.copyOf(caps);
  }

  /** The longest window of any cap: how long the contact's message memory is kept. */
  public Duration longestWindow() {
    return caps.stream().map(Cap::per).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** {@code quiet hours from to until}; {@code from} and {@code until} differ. */
  public record QuietHours(LocalTime from, LocalTime until) {

    /** Whether a local time of day falls inside the quiet hours (from inclusive, until not). */
    public boolean contains(LocalTime time) {
      return from.isBefore(until)
          ? !time.isBefore(from) && time.isBefore(until)
          : !time.isBefore(from) || time.isBefore(until);
    }
  }

  /**
   * {@code at most limit messages per per [via channel]}.
   *
   * @param channel the channel's keyword ({@code email}, {@code sms}); empty counts every one
   */
  public record Cap(int limit, Duration per, Optional<String> channel) {}
}
