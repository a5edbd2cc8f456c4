/**
 * The checked program: what the checker's output becomes once every name is resolved and every
 * expression typed, and what the engine compiles. Sealed interfaces and records only, no
 * syntax and no Drools: conditions ({@link io.relais.dsl.program.Cond}) and values
 * ({@link io.relais.dsl.program.Value}) are two types, {@code and} / {@code or} are one node
 * with a list of terms, a field read is its resolved accessor (a JSON path and a type), and
 * durations are {@link io.relais.dsl.program.Period}s that cannot overflow. Where a node was
 * written is a side table, {@link io.relais.dsl.program.Origins}, not a part of the node. The checker
 * builds it for every ruleset without errors, so {@code ./relais check}, validation and
 * compilation share one output and a ruleset that checks is a ruleset the compiler can build.
 */
package io.relais.dsl.program;
