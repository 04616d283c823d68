package io.caduceus.api.auth;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a session's user proved and when: the authentication methods ({@code amr}, RFC 8176 names such as
 * {@code pwd}, {@code otp}, {@code mfa}), the time of the last proof ({@code auth_time}), and whether the session
 * still owes a second factor its tenant's policy requires ({@code mfaPending}: it may only enrol or verify one).
 */
public record Assurance(List<String> amr, Instant authTime, boolean mfaPending) {

  /** The method that marks a multi-factor proof. */
  public static final String MFA = "mfa";

  public Assurance {
    amr = List.copyOf(amr);
  }

  /** A password, proved now. */
  public static Assurance password() {
    return new Assurance(List.of("pwd"), Instant.now(), false);
  }

  /** Whether the methods include a second factor. */
  public boolean multiFactor() {
    return amr.contains(MFA);
  }

  /** These methods plus {@code more}, proved now (a step-up). */
  public Assurance plus(List<String> more) {
    Set<String> all = new LinkedHashSet<>(amr);
    all.addAll(more);
    return new Assurance(List.copyOf(all), Instant.now(), false);
  }

  /** The same proof, with the session's standing under its tenant's policy. */
  public Assurance pending(boolean pending) {
    return new Assurance(amr, authTime, pending);
  }
}
