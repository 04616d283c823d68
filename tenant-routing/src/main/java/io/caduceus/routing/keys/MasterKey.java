package io.caduceus.routing.keys;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The platform master key (key-encryption key). It wraps tenant data keys and seals platform secrets; it never
 * encrypts PHI directly. Purpose keys are derived from it with HMAC-SHA-256, one per named purpose.
 */
public final class MasterKey {

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("master key must be 32 bytes (base64 of 256 bits)");
    }
    this.key = new SecretKeySpec(raw, "AES");
    this.id = fingerprint(raw);
  }

  /** Decodes a base64 256-bit key. */
  public static MasterKey fromBase64(String base64) {
    return new MasterKey(Base64.getDecoder().decode(base64.trim()));
  }

  /** A fresh random key, base64-encoded, for a first start or a test. */
  public static String generateBase64() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** A short public fingerprint naming this key in wrapped-key rows, so rotation can tell keys apart. */
  public String id() {
    return id;
  }

  /** Seals bytes under the master key itself. */
  public byte[] seal(byte[] plaintext, String context) {
    return AesGcm.seal(key, plaintext, context.getBytes(StandardCharsets.UTF_8));
  }

  /** Opens bytes sealed by {@link #seal} with the same context. */
  public byte[] open(byte[] sealed, String context) {
    return AesGcm.open(key, sealed, context.getBytes(StandardCharsets.UTF_8));
  }

  /** A key for one purpose (for example signing cursors), derived so purposes never share key material. */
  public SecretKey derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return new SecretKeySpec(mac.doFinal(("caduceus/" + purpose).getBytes(StandardCharsets.UTF_8)), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
    }
  }

  private static String fingerprint(byte[] raw) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
      return "mk-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
