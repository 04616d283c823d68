package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static io.caduceus.notifications.engage.Variable.ABNORMAL_COUNT;
import static io.caduceus.notifications.engage.Variable.APPOINTMENT_TIME;
import static io.caduceus.notifications.engage.Variable.CLAIM_STATUS;
import static io.caduceus.notifications.engage.Variable.EMERGENCY_REASON;
import static io.caduceus.notifications.engage.Variable.GIVEN_NAME;
import static io.caduceus.notifications.engage.Variable.LINK;
import static io.caduceus.notifications.engage.Variable.PRACTITIONER_NAME;
import static io.caduceus.notifications.engage.Variable.TENANT_NAME;

/** What a message says, and so which template words it and which variables it may use. */
public enum Topic {
  APPOINTMENT_BOOKED("appointment.booked", Category.APPOINTMENTS, APPOINTMENT_TIME, PRACTITIONER_NAME),
  APPOINTMENT_CHANGED("appointment.changed", Category.APPOINTMENTS, APPOINTMENT_TIME, PRACTITIONER_NAME),
  APPOINTMENT_CANCELLED("appointment.cancelled", Category.APPOINTMENTS, APPOINTMENT_TIME, PRACTITIONER_NAME),
  APPOINTMENT_REMINDER("appointment.reminder", Category.APPOINTMENTS, APPOINTMENT_TIME, PRACTITIONER_NAME),
  LAB_RESULT_AVAILABLE("lab_result.available", Category.RESULTS),
  LAB_RESULT_ABNORMAL("lab_result.abnormal", Category.CLINICAL_ALERTS, ABNORMAL_COUNT),
  PRESCRIPTION_READY("prescription.pickup_ready", Category.PRESCRIPTIONS),
  REFILL_DUE("prescription.refill_due", Category.PRESCRIPTIONS),
  CLAIM_STATUS_CHANGED("claim.status_changed", Category.BILLING, CLAIM_STATUS),
  MESSAGE_RECEIVED("message.received", Category.MESSAGES),
  FOLLOW_UP("encounter.follow_up", Category.CARE_REMINDERS),
  PREVENTIVE_CARE("care.preventive", Category.CARE_REMINDERS),
  CAMPAIGN("campaign", Category.CAMPAIGNS),
  SURVEY("survey.invitation", Category.SURVEYS),
  /** An invitation to open the patient's account: its link is a secret, so it goes by email to the address on file. */
  ACCOUNT_INVITATION("account.invitation", Category.ACCOUNT, EnumSet.of(Channel.EMAIL)),
  /** A link to choose a new password, asked for by whoever typed the address: single-use, so by email only. */
  PASSWORD_RESET("account.password_reset", Category.ACCOUNT, EnumSet.of(Channel.EMAIL)),
  /** A link that proves the account's owner reads mail at its address: single-use, so by email only. */
  EMAIL_VERIFICATION("account.email_verification", Category.ACCOUNT, EnumSet.of(Channel.EMAIL)),
  /** "One of your recovery codes was used to sign in": to the user's own address, never carrying the code. */
  ACCOUNT_SECURITY("account.security", Category.ACCOUNT, EnumSet.of(Channel.EMAIL)),
  /** "Your clinician is ready": the patient of a virtual visit was admitted and may join the video now. */
  TELEHEALTH_READY("telehealth.ready", Category.APPOINTMENTS, PRACTITIONER_NAME),
  /** "Your visit starts in 10 minutes": a virtual visit about to begin. */
  TELEHEALTH_STARTING("telehealth.starting", Category.APPOINTMENTS, APPOINTMENT_TIME, PRACTITIONER_NAME),
  /**
   * "A staff member opened an emergency access to a patient's chart": to the tenant's privacy officers, naming the
   * staff member ({@code practitionerName}) and, by email only (it is clinical), the stated reason ({@code reason},
   * carried sealed); never the patient.
   */
  EMERGENCY_ACCESS_OPENED("emergency_access.opened", Category.CLINICAL_ALERTS, PRACTITIONER_NAME, EMERGENCY_REASON);

  private final String wire;
  private final Category category;
  private final Set<Channel> channels;
  private final Set<Variable> variables;

  Topic(String wire, Category category, Variable... own) {
    this(wire, category, EnumSet.allOf(Channel.class), own);
  }

  Topic(String wire, Category category, Set<Channel> channels, Variable... own) {
    this.wire = wire;
    this.category = category;
    this.channels = channels;
    this.variables = EnumSet.of(TENANT_NAME, LINK, GIVEN_NAME);
    this.variables.addAll(Arrays.asList(own));
  }

  /** The name in the API, the database and the template keys. */
  public String wire() {
    return wire;
  }

  /** The category a patient opts out of. */
  public Category category() {
    return category;
  }

  /** The channels this topic may go out on (every channel but for account invitations and notices). */
  public Set<Channel> channels() {
    return EnumSet.copyOf(channels);
  }

  /** The variables a template of this topic may use. */
  public Set<Variable> variables() {
    return EnumSet.copyOf(variables);
  }

  /** The topic of a wire name, if there is one. */
  public static Optional<Topic> fromWire(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
  }
}
