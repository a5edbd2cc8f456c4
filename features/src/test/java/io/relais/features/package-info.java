/**
 * QA's Cucumber suites: {@code RelaisFeaturesTest} runs every feature in process,
 * {@code EndToEndIT} runs the {@code @e2e} ones against the service started in the test JVM.
 */
package io.relais.features;
