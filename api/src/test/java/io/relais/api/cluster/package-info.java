/** Tests of Relais on a secured store and on a cluster of several nodes and instances. */
package io.relais.api.cluster;
