package io.relais.features.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.When;
import io.relais.features.steps.Domain.Moment;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The scenario's clock. In process it is the engine's {@code now}; end to end it is the
 * service's clock (a test-only bean), so "3 days pass" moves the service too.
 */
public class TimeSteps {

  private final World world;

  public TimeSteps(World world) {
    this.world = world;
  }

  @Given("today is {date}")
  public void todayIs(LocalDate day) {
    world.setNow(day.atTime(World.TIME_OF_DAY).atZone(world.zone()).toInstant());
  }

  @Given("the time is {time}")
  public void theTimeIs(Moment moment) {
    moment.zone().ifPresent(world::setZone);
    world.setNow(moment.in(world.zone()));
  }

  /** The clock moves and the campaign steps that came due meanwhile are decided. */
  @When("{duration} pass(es)")
  public void timePasses(Duration duration) {
    world.pass(duration + " pass", duration);
  }
}
