/**
 * The facts Relais decides on: a contact (profile and rule-managed state) and its events, as
 * immutable values in the JSON shape of the REST API.
 */
package io.relais.engine.contact;
