package io.caduceus.api.telehealth;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A guest of a virtual visit: a staff member of the tenant ({@code kind} {@code staff}, with their user id) or an
 * external guest without an account (an interpreter, a family member, a caregiver, other), who joins with a
 * single-use code and then a key. Never holds the code or key: only their hashes are stored.
 */
record Guest(UUID id, UUID sessionId, UUID patientId, String kind, UUID userId, String displayName,
             Instant codeExpiresAt, Instant redeemedAt, UUID invitedBy, Instant invitedAt, Instant revokedAt,
             SessionStatus sessionStatus) {

  static final String STAFF = "staff";
  /** The prefix of an external guest's video identity; the rest is the guest's id (no PHI at the provider). */
  static final String IDENTITY_PREFIX = "guest:";

  static Guest fromRow(Row row) {
    return new Guest(row.getUUID("id"), row.getUUID("session_id"), row.getUUID("patient_id"), row.getString("kind"),
        row.getUUID("user_id"), row.getString("display_name"), instant(row, "code_expires_at"),
        instant(row, "redeemed_at"), row.getUUID("invited_by"), instant(row, "invited_at"),
        instant(row, "revoked_at"), SessionStatus.fromWire(row.getString("session_status")));
  }

  boolean isStaff() {
    return STAFF.equals(kind);
  }

  /** The identity the guest's video tokens name: a staff guest's user id, else {@code guest:<id>}. */
  String identity() {
    return isStaff() ? userId.toString() : IDENTITY_PREFIX + id;
  }

  /**
   * {@code invited} (an external guest's code not yet exchanged), {@code active} (a staff guest, or an external
   * guest who exchanged the code), {@code expired} (a code never exchanged in time), {@code revoked}, or
   * {@code ended} (the visit is over: nobody joins any more).
   */
  String status(Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    if (sessionStatus.isFinal()) {
      return "ended";
    }
    if (isStaff() || redeemedAt != null) {
      return "active";
    }
    return codeExpiresAt.isAfter(now) ? "invited" : "expired";
  }

  /** The contract's {@code TelehealthGuest}. */
  JsonObject toJson(Instant now) {
    return new JsonObject()
        .put("id", id.toString())
        .put("sessionId", sessionId.toString())
        .put("kind", kind)
        .put("userId", userId == null ? null : userId.toString())
        .put("displayName", displayName)
        .put("identity", identity())
        .put("status", status(now))
        .put("invitedBy", invitedBy.toString())
        .put("invitedAt", invitedAt.toString())
        .put("codeExpiresAt", text(codeExpiresAt))
        .put("redeemedAt", text(redeemedAt))
        .put("revokedAt", text(revokedAt));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime at = row.getOffsetDateTime(column);
    return at == null ? null : at.toInstant();
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
