package io.caduceus.api.portal;

import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One audited access to a patient's record, as one tenant's trail holds it; {@code purpose} is
 * {@code emergency_access} for an access made under an emergency (break-glass) access, null otherwise.
 */
record RecordAccess(UUID id, Instant at, UUID actorUserId, List<String> actorRoles, String action, String outcome,
                    UUID partnerTenantId, String purpose) {

  /** Maps a row of {@link PortalSql#ACCESSES}. */
  static RecordAccess fromRow(Row row) {
    return new RecordAccess(row.getUUID("id"), row.getOffsetDateTime("occurred_at").toInstant(),
        row.getUUID("actor_user_id"), List.of(row.getArrayOfStrings("actor_roles")), row.getString("action"),
        row.getString("outcome"), row.getUUID("partner_tenant_id"), row.getString("purpose"));
  }
}
