package io.caduceus.api.auth.mfa;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * TOTP (RFC 6238) as every authenticator app speaks it: HMAC-SHA1, 30-second steps, six digits, through
 * {@code com.eatthepath:java-otp}. A code is accepted for the step before and after the current one (clock drift);
 * which of those steps it matched is returned, so the caller can refuse a step already used (replay).
 */
public final class Totp {

  /** The length of a time step. */
  public static final Duration STEP = Duration.ofSeconds(30);
  private static final int SECRET_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP, 6);

  /** A fresh 160-bit secret (RFC 4226's recommended length). */
  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The time step an instant falls in. */
  public static long step(Instant at) {
    return at.getEpochSecond() / STEP.toSeconds();
  }

  /** The six-digit code of a step. */
  public String code(byte[] secret, long step) {
    try {
      int code = generator.generateOneTimePassword(new SecretKeySpec(secret, "HmacSHA1"),
          Instant.ofEpochSecond(step * STEP.toSeconds()));
      return String.format("%06d", code);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The steps around {@code now} (one either side) whose code is {@code code}, latest first. */
  public List<Long> matchingSteps(byte[] secret, String code, Instant now) {
    List<Long> steps = new ArrayList<>();
    if (code == null || !code.matches("\\d{6}")) {
      return steps;
    }
    long current = step(now);
    for (long step = current + 1; step >= current - 1; step--) {
      if (java.security.MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII))) {
        steps.add(step);
      }
    }
    return steps;
  }

  /** The {@code otpauth://} URI an authenticator app reads (usually from a QR code). */
  public static String uri(String issuer, String account, byte[] secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/" + label + "?secret=" + Base32.encode(secret) + "&issuer=" + encode(issuer)
        + "&algorithm=SHA1&digits=6&period=" + STEP.toSeconds();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
