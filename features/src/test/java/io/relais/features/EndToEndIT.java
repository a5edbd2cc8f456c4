package io.relais.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The same features end to end (failsafe): the service started in this JVM against the
 * build's Elasticsearch node, events posted over REST, contacts read back. Failsafe sets
 * {@code relais.features.driver=e2e} and {@code cucumber.filter.tags} (by default every scenario but {@code @wip}).
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.relais.features.steps")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
    value = "summary, html:target/cucumber/end-to-end.html, junit:target/cucumber/end-to-end.xml")
public class EndToEndIT {}
