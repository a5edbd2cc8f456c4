package io.relais.features.steps;

import io.cucumber.java.en.Given;
import io.relais.features.driver.RulesetFiles;

/** Which ruleset decides: a folder of {@code rules/}, or rule text written in the scenario. */
public class RulesetSteps {

  private final World world;

  public RulesetSteps(World world) {
    this.world = world;
  }

  @Given("the ruleset {string}")
  public void theRuleset(String name) {
    world.useRuleset(RulesetFiles.folder(World.rulesDir().resolve(name)));
  }

  @Given("the ruleset:")
  public void theRulesetWritten(String text) {
    world.useRuleset(RulesetFiles.inline(text));
  }
}
