package io.relais.api.config;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call the API ({@code relais.security.*}). With no keys configured, every
 * {@code /api/v1} call is refused: there is no anonymous access.
 *
 * @param apiKeys the accepted keys (header {@code X-API-Key}) and what each may do
 */
@ConfigurationProperties("relais.security")
public record SecurityProperties(List<ApiKey> apiKeys) {

  public SecurityProperties {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    for (int i = 0; i < apiKeys.size(); i++) {
      ApiKey key = apiKeys.get(i);
      if (key.key() == null || key.key().isBlank()) {
        throw new IllegalArgumentException("relais.security.api-keys[" + i + "].key is empty");
      }
    }
  }

  /**
   * One key.
   *
   * @param key the secret the caller sends
   * @param roles what it may do; {@code admin} implies every role
   * @param name who the key stands for, recorded as the author of ruleset versions; defaults
   *     to {@code api-key-N} (its position, from 1)
   */
  public record ApiKey(String key, Set<Role> roles, String name) {
    public ApiKey {
      roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean has(Role role) {
      return roles.contains(role) || roles.contains(Role.ADMIN);
    }
  }

  /** What a key may do. */
  public enum Role {
    /** Read contacts, ask decisions, post events. */
    DECIDE,
    /** Upload, validate, read and activate rulesets. */
    AUTHOR,
    /** Everything, batch runs, actuator details and metrics included. */
    ADMIN
  }
}
