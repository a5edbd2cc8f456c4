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
  }

  /**
   * One key.
   *
   * @param key the secret the caller sends
   * @param roles what it may do; {@code admin} implies every role
   */
  public record ApiKey(String key, Set<Role> roles) {
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
    /** Upload, validate and activate rulesets. */
    AUTHOR,
    /** Everything, batch runs included. */
    ADMIN
  }
}
