/**
 * The checker of the rule language: from parsed files to a {@link
 * io.relais.dsl.check.CheckedRuleset}, or to every problem at once.
 *
 * <p><b>Checked tree.</b> The syntax tree is not copied: {@link io.relais.dsl.check.Resolutions}
 * is a side table keyed by node identity that gives every expression node its type and every
 * name what it resolved to ({@link io.relais.dsl.check.Resolution}). Identity, not equality:
 * {@code event.url} in two rules is two resolutions with different guards.
 *
 * <p><b>Checked program.</b> A ruleset without errors is then lowered ({@code Lowering}) to
 * its {@link io.relais.dsl.program.Program}: the tree and its resolutions as one typed value,
 * which is what the engine compiles. Lowering runs inside the check, so whatever checks has
 * a program.
 *
 * <p><b>Choices where docs/language.md is silent</b> (to be copied into docs/language.md):
 * <ul>
 *   <li>Ordered types are numbers, dates, date-times and stages; {@code < <= > >= between}
 *       on text or true/false is an error. Text supports {@code = != in contains matches
 *       is empty}. A date and a date-time compare with each other (the date is its first
 *       instant in the ruleset's zone).
 *   <li>A bare name is, in this order: an attribute of the counted event (inside
 *       {@code where}), a define, a stage. Stage names are upper case and case-sensitive;
 *       {@code mql} is an error suggesting {@code MQL}. A define may not be named like a
 *       stage, an attribute not like a built-in field, an event type not like a built-in one,
 *       an event attribute not {@code id}, {@code type} or {@code at}.
 *   <li>{@code event.id}, {@code event.type} and {@code event.at} need no guard: every
 *       event has them (with no triggering event they are empty, so comparisons are false).
 *       Any other {@code event.X} needs {@code event is T} earlier in the same {@code and}
 *       chain; {@code (event is a or event is b) and event.x} is accepted when both types have
 *       {@code x} with one type. Actions and templates may read what the rule's condition
 *       guards at its top level.
 *   <li>{@code contact.tier = "Gold"} (and {@code in [..]}) must name a declared tier or
 *       {@code ""}.
 *   <li>Priorities cannot be negative (0, the default, is the lowest). Two tiers with one
 *       threshold are an error (one could never be reached). A tier above 0 points is
 *       unreachable (warning) when no rule anywhere awards points.
 *   <li>{@code ruleset}, {@code timezone} and {@code default owner} may appear in any file;
 *       repeating one with the same value is fine, with another value an error.
 *   <li>Rule order: phase, priority descending, position of the rule in its file, file name.
 *   <li>A rule can never fire (warning) when its condition folds to false (defines
 *       included), compares a field outside its known range ({@code contact.age} is 0 to
 *       150; counts, tag counts, {@code days since}, {@code contact.companySize},
 *       {@code points}, {@code recency} and {@code frequency} are never negative), uses
 *       an empty {@code between} or {@code in []}, orders against {@code DISQUALIFIED}, or
 *       asks for two different {@code event is} in one {@code and} chain.
 *   <li>A tag tested ({@code tag "X"}, {@code has tag "X"}) but set by no rule is a warning
 *       at every place it is tested; a campaign no rule enrolls in is a warning.
 * </ul>
 */
package io.relais.dsl.check;
