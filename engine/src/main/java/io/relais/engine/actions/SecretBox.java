package io.relais.engine.actions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How webhook secrets are kept in the store: sealed with AES-256-GCM under a key from the
 * configuration ({@code relais.webhooks.secret-key}), so reading the store's documents (a
 * snapshot, a backup, a user with read access to the index) does not give the secrets. Without
 * a key (the local quick start) they are kept as they are, marked so, and the service warns at
 * start (docs/operations.md).
 */
public final class SecretBox {

  private static final String SEALED = "aes-gcm:";
  private static final String PLAIN = "plain:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(SecretKeySpec key) {
    this.key = key;
  }

  /**
   * A box sealing with {@code base64Key} (32 bytes in base64); none (null or blank): secrets are
   * kept in clear.
   *
   * @throws IllegalArgumentException when the key is not 32 bytes of base64
   */
  public static SecretBox of(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      return new SecretBox(null);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("relais.webhooks.secret-key is not base64", e);
    }
    if (bytes.length != 32) {
      throw new IllegalArgumentException("relais.webhooks.secret-key must be 32 bytes (base64 of 32 random bytes), not "
          + bytes.length);
    }
    return new SecretBox(new SecretKeySpec(bytes, "AES"));
  }

  /** Whether secrets are sealed, or kept in clear. */
  public boolean seals() {
    return key != null;
  }

  /** The stored form of {@code secret}. */
  public String seal(String secret) {
    if (key == null) {
      return PLAIN + secret;
    }
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The secret of a stored form.
   *
   * @throws IllegalStateException when it was sealed under another key, or is sealed and this box
   *     has none
   */
  public String open(String stored) {
    if (stored.startsWith(PLAIN)) {
      return stored.substring(PLAIN.length());
    }
    if (!stored.startsWith(SEALED) || key == null) {
      throw new IllegalStateException("a webhook secret is sealed and relais.webhooks.secret-key is not set");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a webhook secret was sealed under another relais.webhooks.secret-key", e);
    }
  }
}
