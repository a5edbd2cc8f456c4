package io.relais.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every feature under {@code src/test/resources/features}, run in process against the engine
 * (surefire). A run that selects no scenario fails ({@code @Suite} fails when nothing is found).
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.relais.features.steps")
public class RelaisFeaturesTest {}
