/** Contacts and their events over REST: profiles, events recorded and applied, rewards. */
package io.relais.api.contacts;
