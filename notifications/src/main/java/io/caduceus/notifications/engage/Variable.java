package io.caduceus.notifications.engage;

import java.util.Arrays;
import java.util.Optional;

/**
 * A value a template may use, written {@code {{name}}}. Values come from the message's cause (stored with the
 * message) or from the recipient at send time; none is ever a result value or a diagnosis. An emergency access's
 * stated reason is carried sealed ({@link SealedReason}) and, being clinical, only ever by email.
 */
public enum Variable {
  TENANT_NAME("tenantName", Sensitivity.NONE),
  LINK("link", Sensitivity.NONE),
  GIVEN_NAME("givenName", Sensitivity.IDENTITY),
  APPOINTMENT_TIME("appointmentTime", Sensitivity.SCHEDULE),
  PRACTITIONER_NAME("practitionerName", Sensitivity.SCHEDULE),
  CLAIM_STATUS("claimStatus", Sensitivity.BILLING),
  ABNORMAL_COUNT("abnormalCount", Sensitivity.CLINICAL),
  /** The reason a clinician stated for an emergency access: free text that may describe the patient. */
  EMERGENCY_REASON("reason", Sensitivity.CLINICAL);

  private final String token;
  private final Sensitivity sensitivity;

  Variable(String token, Sensitivity sensitivity) {
    this.token = token;
    this.sensitivity = sensitivity;
  }

  /** The name inside the braces. */
  public String token() {
    return token;
  }

  /** How revealing the value is. */
  public Sensitivity sensitivity() {
    return sensitivity;
  }

  /** The variable written {@code {{token}}}, if there is one. */
  public static Optional<Variable> byToken(String token) {
    return Arrays.stream(values()).filter(v -> v.token.equals(token)).findFirst();
  }
}
