package io.relais.api.web;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: the configured name of the API key of the current request. */
public final class Caller {

  private Caller() {}

  /**
   * The name of the current request's API key ({@code relais.security.api-keys[].name}), to
   * record as the author of what it changes; {@code "anonymous"} outside a request with a key.
   */
  public static String name() {
    return key().orElse("anonymous");
  }

  /** The name of the current request's recognised API key, if it has one. */
  static Optional<String> key() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication instanceof ApiKeyAuthentication key && key.isAuthenticated()) {
      return Optional.of(key.getName());
    }
    return Optional.empty();
  }
}
