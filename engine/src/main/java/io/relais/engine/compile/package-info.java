/**
 * From the checked program ({@link io.relais.dsl.program.Program}) to executable conditions:
 * each condition and value becomes a tree of small Java functions, built once per ruleset
 * version and shared by every evaluation. No text is ever generated or interpreted at run
 * time, so rule text cannot run code Relais did not write. Empty values follow the language:
 * a comparison with an empty value is false.
 */
package io.relais.engine.compile;
