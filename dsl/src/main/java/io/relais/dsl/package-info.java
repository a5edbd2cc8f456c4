/**
 * The Relais rule language: {@link io.relais.dsl.RuleLanguage} loads, parses and checks a
 * ruleset; the sub-packages hold each stage (source, parser, syntax tree, checker).
 */
package io.relais.dsl;
