package io.relais.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The due-step scheduler ({@code relais.campaigns.*}, docs/operations.md "Campaigns").
 *
 * @param dueStepsEvery how often each instance looks for campaign steps that came due; at most
 *     one minute, as steps are due within one minute of their time
 * @param dueStepsPage contacts with due steps read per search
 * @param dueStepsEnabled whether this instance runs the scheduler
 * @param dueStepsThreads pages of due steps this instance decides at once, each page's
 *     evaluations cut into as many parts (a page waits on its own bulks meanwhile)
 */
@ConfigurationProperties("relais.campaigns")
public record CampaignsProperties(
    @DefaultValue("30s") Duration dueStepsEvery,
    @DefaultValue("500") int dueStepsPage,
    @DefaultValue("true") boolean dueStepsEnabled,
    @DefaultValue("2") int dueStepsThreads) {

  public CampaignsProperties {
    if (dueStepsEvery.isNegative() || dueStepsEvery.isZero()
        || dueStepsEvery.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("relais.campaigns.due-steps-every must be more than 0"
          + " and at most 1 minute, not " + dueStepsEvery);
    }
    if (dueStepsPage < 1 || dueStepsPage > 10_000) {
      throw new IllegalArgumentException("relais.campaigns.due-steps-page must be 1 to 10000, not "
          + dueStepsPage);
    }
    if (dueStepsThreads < 1 || dueStepsThreads > 64) {
      throw new IllegalArgumentException("relais.campaigns.due-steps-threads must be 1 to 64, not "
          + dueStepsThreads);
    }
  }
}
