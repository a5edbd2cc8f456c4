/**
 * Audiences: a condition of the rule language checked in the context of a ruleset and, when it
 * reads only stored contact fields, translated into one Elasticsearch query (push-down) that
 * counts or selects the contacts for which the engine would find it true.
 */
package io.relais.engine.audience;
