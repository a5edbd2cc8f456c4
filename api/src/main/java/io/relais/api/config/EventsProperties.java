package io.relais.api.config;

import io.relais.engine.store.EventSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How events are recorded and applied ({@code relais.events.*}).
 *
 * @param ruleset the ruleset events are decided by when the request names none; without it,
 *     the only active ruleset
 * @param maxAttempts conditional writes tried per event before answering 409 (contention)
 * @param maxBackoff the longest pause between two attempts
 * @param maxHistory the most recorded events read for one evaluation, newest first
 * @param outboxGrace how long an applied event stays in its contact's outbox at least; keep it
 *     well above the events index's refresh interval (1 s): see docs/store.md
 * @param recoveryInterval how often this instance runs the recovery sweep, which writes the
 *     documents of outbox entries a crash left unwritten
 * @param recoveryLag how old an outbox entry is when the sweep checks it: longer than a contact
 *     write can take to become searchable (the store's response time-out plus 1 s of refresh)
 * @param recentWindow how far back each contact's document keeps its recent events, so that
 *     history windows within it are read with the contact, without searching the events index
 * @param recentMax the most recent events a contact's document keeps (0 to 1000; 0: none)
 */
@ConfigurationProperties("relais.events")
public record EventsProperties(
    String ruleset,
    @DefaultValue("100") int maxAttempts,
    @DefaultValue("50ms") Duration maxBackoff,
    @DefaultValue("10000") int maxHistory,
    @DefaultValue("5s") Duration outboxGrace,
    @DefaultValue("60s") Duration recoveryInterval,
    @DefaultValue("60s") Duration recoveryLag,
    @DefaultValue("90d") Duration recentWindow,
    @DefaultValue("100") int recentMax) {

  /** The engine's view of these settings. */
  public EventSettings toSettings() {
    return new EventSettings(maxAttempts, maxBackoff, maxHistory, outboxGrace, recentWindow, recentMax,
        recoveryLag);
  }
}
