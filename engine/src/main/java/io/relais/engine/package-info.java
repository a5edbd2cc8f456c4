/** The Relais engine: facts, evaluation, rulesets and the contact store. Knows nothing of the web. */
package io.relais.engine;
