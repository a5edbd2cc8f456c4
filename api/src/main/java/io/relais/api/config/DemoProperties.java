package io.relais.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Demo data for the quick start ({@code relais.demo.*}); off unless the {@code local} profile
 * turns it on.
 *
 * @param loadContacts store the demo contacts at start (those not stored yet)
 * @param contacts a JSON array of contacts in the API's contact shape
 */
@ConfigurationProperties("relais.demo")
public record DemoProperties(
    @DefaultValue("false") boolean loadContacts,
    @DefaultValue("classpath:demo/contacts.json") Resource contacts) {}
