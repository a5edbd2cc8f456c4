package io.relais.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A step is due within a minute of its time: the scheduler's interval cannot exceed that. */
class CampaignsPropertiesTest {

  @Test
  void theIntervalIsMoreThanZeroAndAtMostOneMinute() {
    assertThat(new CampaignsProperties(Duration.ofMinutes(1), 500, true, 2).dueStepsEvery())
        .isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ofSeconds(61), 500, true, 2))
        .hasMessageContaining("due-steps-every");
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ZERO, 500, true, 2))
        .hasMessageContaining("due-steps-every");
  }

  @Test
  void aPageHoldsOneToTenThousandContacts() {
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ofSeconds(30), 0, true, 2))
        .hasMessageContaining("due-steps-page");
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ofSeconds(30), 10_001, true, 2))
        .hasMessageContaining("due-steps-page");
  }

  @Test
  void dueStepThreadsAreOneToSixtyFour() {
    assertThat(new CampaignsProperties(Duration.ofSeconds(30), 500, true, 64).dueStepsThreads()).isEqualTo(64);
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ofSeconds(30), 500, true, 0))
        .hasMessageContaining("due-steps-threads");
    assertThatThrownBy(() -> new CampaignsProperties(Duration.ofSeconds(30), 500, true, 65))
        .hasMessageContaining("due-steps-threads");
  }
}
