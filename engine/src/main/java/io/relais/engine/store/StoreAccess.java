package io.relais.engine.store;

import co.elastic.clients.transport.TransportUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What a secured cluster asks of Relais: credentials (an API key, or a user name and password)
 * and whom to trust for TLS (the CA's PEM file, or its SHA-256 fingerprint; neither: the JVM's
 * trust store). {@link #toString()} never shows a secret, so logging this record leaks nothing.
 *
 * @param apiKey an Elasticsearch API key, the encoded form ({@code base64(id:key)}); null: none
 * @param username a native or file-realm user; null: none
 * @param password that user's password
 * @param caCertificate the PEM file of the CA that signed the nodes' HTTP certificates; null: none
 * @param caFingerprint the SHA-256 fingerprint of that CA, hex (colons allowed); null: none
 */
public record StoreAccess(String apiKey, String username, String password, Path caCertificate, String caFingerprint) {

  /** No credentials, the JVM's default trust: a local node without security. */
  public static final StoreAccess NONE = new StoreAccess(null, null, null, null, null);

  public StoreAccess {
    apiKey = blankToNull(apiKey);
    username = blankToNull(username);
    caFingerprint = blankToNull(caFingerprint);
    if (apiKey != null && username != null) {
      throw new IllegalArgumentException("give the store an api-key or a username and password, not both");
    }
    if (username != null && (password == null || password.isEmpty())) {
      throw new IllegalArgumentException("the store's username needs a password");
    }
    if (username == null && password != null && !password.isEmpty()) {
      throw new IllegalArgumentException("the store's password needs a username");
    }
    if (caCertificate != null && caFingerprint != null) {
      throw new IllegalArgumentException("trust the store through ca-certificate or ca-fingerprint, not both");
    }
    if (caCertificate != null && !Files.isReadable(caCertificate)) {
      throw new IllegalArgumentException("the store's ca-certificate is not a readable file: " + caCertificate);
    }
    if (caFingerprint != null && !caFingerprint.replace(":", "").matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the store's ca-fingerprint must be a SHA-256 fingerprint (64 hex digits)");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The {@code Authorization} header's value, if credentials are given. */
  Optional<String> authorization() {
    if (apiKey != null) {
      return Optional.of("ApiKey " + apiKey);
    }
    if (username != null) {
      String pair = username + ":" + password;
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  /** The TLS context that trusts the given CA; empty: the JVM's default trust. */
  Optional<SSLContext> sslContext() {
    if (caCertificate != null) {
      try {
        return Optional.of(TransportUtils.sslContextFromHttpCaCrt(caCertificate.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the store's ca-certificate " + caCertificate, e);
      }
    }
    if (caFingerprint != null) {
      return Optional.of(TransportUtils.sslContextFromCaFingerprint(caFingerprint.replace(":", "")));
    }
    return Optional.empty();
  }

  /** What is configured, never the secrets themselves. */
  @Override
  public String toString() {
    String credentials = apiKey != null ? "api-key" : username != null ? "user " + username : "none";
    String trust = caCertificate != null ? "CA file " + caCertificate
        : caFingerprint != null ? "CA fingerprint" : "default";
    return "StoreAccess[credentials=" + credentials + ", trust=" + trust + "]";
  }
}
