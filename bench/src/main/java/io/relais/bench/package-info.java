/** JMH benchmarks: figures printed, never asserted. */
package io.relais.bench;
