package io.relais.api.web;

import io.relais.api.config.SecurityProperties;
import io.relais.api.config.SecurityProperties.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Recognises API keys: compares the presented key with every configured key in constant time
 * (SHA-256 digests compared with {@link MessageDigest#isEqual}, all of them every time), so
 * neither a key's length nor its prefix shows in the answer time.
 */
public final class ApiKeys implements AuthenticationManager {

  private record Known(byte[] digest, ApiKeyAuthentication authentication) {}

  private final List<Known> keys = new ArrayList<>();

  public ApiKeys(SecurityProperties properties) {
    List<ApiKey> configured = properties.apiKeys();
    for (int i = 0; i < configured.size(); i++) {
      ApiKey key = configured.get(i);
      String name = key.name() == null || key.name().isBlank() ? "api-key-" + (i + 1) : key.name();
      List<SimpleGrantedAuthority> roles = key.roles().stream()
          .map(role -> new SimpleGrantedAuthority("ROLE_" + role.name().toUpperCase(Locale.ROOT)))
          .toList();
      keys.add(new Known(digest(key.key()), ApiKeyAuthentication.recognised(name, roles)));
    }
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    Object presented = authentication.getCredentials();
    if (!(presented instanceof String text) || text.isEmpty()) {
      throw new BadCredentialsException("no API key");
    }
    byte[] given = digest(text);
    ApiKeyAuthentication found = null;
    for (Known key : keys) {
      if (MessageDigest.isEqual(given, key.digest()) && found == null) {
        found = key.authentication();
      }
    }
    if (found == null) {
      throw new BadCredentialsException("unknown API key");
    }
    return found;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
