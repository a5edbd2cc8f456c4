/** The web edge: API keys, body limits, and problem details for every error. */
package io.relais.api.web;
