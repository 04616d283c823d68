package io.caduceus.api.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An audit row as stored, for listing and for hashing into the chain. {@code txid} is the inserting transaction's
 * id: a number, compared as one (it reaches Java from {@code xid8} as a {@code bigint}). {@code purpose} is null
 * but for an event written under an emergency access ({@code emergency_access}).
 */
public record AuditRecord(
    UUID tenantId,
    UUID id,
    long txid,
    Instant occurredAt,
    UUID actorUserId,
    List<String> actorRoles,
    String action,
    String resourceType,
    UUID resourceId,
    List<UUID> patientIds,
    String outcome,
    String requestId,
    String clientAddress,
    UUID partnerTenantId,
    String purpose) {

  /** Maps a row of {@link AuditSql#COLUMNS}. */
  public static AuditRecord fromRow(Row row) {
    return new AuditRecord(
        row.getUUID("tenant_id"),
        row.getUUID("id"),
        row.getLong("chain_txid"),
        row.getOffsetDateTime("occurred_at").toInstant(),
        row.getUUID("actor_user_id"),
        Arrays.asList(row.getArrayOfStrings("actor_roles")),
        row.getString("action"),
        row.getString("resource_type"),
        row.getUUID("resource_id"),
        Arrays.asList(row.getArrayOfUUIDs("patient_ids")),
        row.getString("outcome"),
        row.getString("request_id"),
        row.getString("client_address"),
        row.getUUID("partner_tenant_id"),
        row.getString("purpose"));
  }

  /** The contract's {@code AuditEvent}. */
  public JsonObject toJson() {
    JsonArray patients = new JsonArray();
    patientIds.forEach(p -> patients.add(p.toString()));
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("occurredAt", occurredAt.toString())
        .put("actor", new JsonObject().put("userId", actorUserId.toString()).put("roles", new JsonArray(actorRoles)))
        .put("action", action)
        .put("resourceType", resourceType)
        .put("resourceId", resourceId == null ? null : resourceId.toString())
        .put("patientIds", patients)
        .put("outcome", outcome)
        .put("requestId", requestId)
        .put("clientAddress", clientAddress);
    if (purpose != null) {
      json.put("purpose", purpose);
    }
    return json;
  }
}
