package io.relais.engine.actions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signing with the JDK's HMAC: a secret is {@code whsec_} followed by the
 * base64 of its key bytes; a signature is {@code v1,} followed by the base64 of HMAC-SHA256 over
 * {@code id.timestamp.body}, and the header lists one per secret in use, space-separated.
 */
public final class Signatures {

  /** The prefix of every secret. */
  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  // A MAC keyed with each secret in use, copied for each signature: looking the algorithm up and
  // keying it (two hash blocks) for every delivery cost more than the signature itself. A secret
  // rotated away stays here until the process ends; a subscription has one or two at a time.
  private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();
  private static final int MAX_KEYED = 1024;

  private Signatures() {}

  /** A new secret: 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header: one signature per secret. */
  public static String header(List<String> secrets, String id, long timestamp, String body) {
    return secrets.stream().map(secret -> sign(secret, id, timestamp, body)).collect(Collectors.joining(" "));
  }

  /** One signature, {@code v1,<base64>}. */
  public static String sign(String secret, String id, long timestamp, String body) {
    try {
      Mac mac = keyed(secret);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] digest = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK, and copies", e);
    }
  }

  /** How many keyed MACs are kept now. */
  static int keyedCount() {
    return KEYED.size();
  }

  private static Mac keyed(String secret) throws GeneralSecurityException, CloneNotSupportedException {
    Mac keyed = KEYED.get(secret);
    if (keyed == null) {
      keyed = Mac.getInstance("HmacSHA256");
      keyed.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      if (KEYED.size() >= MAX_KEYED) {
        KEYED.clear(); // bounded: far more secrets than subscriptions have means old ones
      }
      KEYED.put(secret, keyed);
    }
    // The keyed MAC is never used itself: its copies are, one per signature, on any thread.
    return (Mac) keyed.clone();
  }

  private static byte[] key(String secret) {
    return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
  }
}
