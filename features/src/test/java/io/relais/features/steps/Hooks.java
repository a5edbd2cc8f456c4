package io.relais.features.steps;

import io.cucumber.java.After;
import io.cucumber.java.AfterAll;
import io.cucumber.java.Before;
import io.cucumber.java.BeforeAll;
import io.relais.features.e2e.RelaisService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Around every run: counts the scenarios that ran, closes each scenario's driver, and stops
 * the service once every scenario has run.
 */
public class Hooks {

  /** Scenarios that ran in this run of the Cucumber engine. */
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  private final World world;

  public Hooks(World world) {
    this.world = world;
  }

  @BeforeAll
  public static void startCounting() {
    SCENARIOS.set(0);
  }

  @Before
  public void countScenario() {
    SCENARIOS.incrementAndGet();
  }

  @After
  public void closeDriver() {
    world.relais.close();
  }

  /**
   * Cucumber skips the scenarios a name or tag filter leaves out instead of dropping them, so
   * a filter that matches nothing would pass silently: a run where no scenario ran fails here.
   */
  @AfterAll
  public static void failWhenNoScenarioRan() {
    try {
      RelaisService.stop();
    } finally {
      if (SCENARIOS.get() == 0) {
        throw new AssertionError("No scenario ran: check the feature path, the line number, "
            + "-Dcucumber.filter.name or -Dcucumber.filter.tags (see features/README.md).");
      }
    }
  }
}
