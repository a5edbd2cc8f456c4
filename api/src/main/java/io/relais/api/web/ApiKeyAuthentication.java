package io.relais.api.web;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An API key, first as presented (unauthenticated, no authorities), then as recognised: its
 * configured name and roles. The secret is dropped once the key is recognised.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

  private final String name;
  private transient String presented;

  private ApiKeyAuthentication(String name, String presented, Collection<? extends GrantedAuthority> roles,
      boolean authenticated) {
    super(roles);
    this.name = name;
    this.presented = presented;
    setAuthenticated(authenticated);
  }

  /** What the caller sent in {@code X-API-Key}. */
  public static ApiKeyAuthentication presented(String key) {
    return new ApiKeyAuthentication(null, key, java.util.List.of(), false);
  }

  /** A recognised key. */
  public static ApiKeyAuthentication recognised(String name, Collection<? extends GrantedAuthority> roles) {
    return new ApiKeyAuthentication(name, null, roles, true);
  }

  @Override
  public Object getCredentials() {
    return presented;
  }

  @Override
  public Object getPrincipal() {
    return name;
  }

  @Override
  public String getName() {
    return name == null ? "" : name;
  }

  @Override
  public void eraseCredentials() {
    super.eraseCredentials();
    presented = null;
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
