/** Rule source text and positions inside it. */
package io.relais.dsl.source;
