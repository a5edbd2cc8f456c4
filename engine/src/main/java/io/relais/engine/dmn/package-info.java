/**
 * DMN decision tables evaluated by Kogito (docs/language.md ("Decision tables")). Every Kogito and DMN type of
 * Relais stays in this package: {@link io.relais.engine.dmn.DmnModels} loads and validates
 * {@code .dmn} files, {@link io.relais.engine.dmn.KogitoDecisionModels} gives the checker what
 * it needs through {@link io.relais.dsl.check.DecisionModels}, and
 * {@link io.relais.engine.dmn.TableEvaluator} evaluates a table once per phase.
 */
package io.relais.engine.dmn;
