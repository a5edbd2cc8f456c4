/** Typed configuration of the service ({@code relais.*}) and the beans built from it. */
package io.relais.api.config;
