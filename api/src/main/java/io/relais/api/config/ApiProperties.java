package io.relais.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API ({@code relais.api.*}).
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413
 */
@ConfigurationProperties("relais.api")
public record ApiProperties(@DefaultValue("1MB") DataSize maxBodySize) {}
