package io.caduceus.routing.catalog;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A user's roles in one tenant, with what the client needs to show that tenant. */
public record Membership(
    TenantId tenantId,
    String tenantName,
    String tenantKind,
    String dataRegion,
    TenantStatus tenantStatus,
    List<String> roles,
    Optional<UUID> patientId,
    boolean active,
    Instant joinedAt) {

  /** Maps a row of {@link MembershipSql#COLUMNS}. */
  public static Membership fromRow(Row row) {
    return new Membership(
        new TenantId(row.getUUID("tenant_id")),
        row.getString("tenant_name"),
        row.getString("tenant_kind"),
        row.getString("data_region"),
        TenantStatus.fromWire(row.getString("tenant_status")),
        Arrays.asList(row.getArrayOfStrings("roles")),
        Optional.ofNullable(row.getUUID("patient_id")),
        "active".equals(row.getString("status")),
        row.getOffsetDateTime("created_at").toInstant());
  }

  /** Whether the tenant is serving (neither awaiting approval nor suspended). */
  public boolean tenantActive() {
    return tenantStatus == TenantStatus.ACTIVE;
  }

  /** Whether the user may act in this tenant now. */
  public boolean usable() {
    return active && tenantActive();
  }

  /** The contract's {@code Membership}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("tenantId", tenantId.toString())
        .put("tenantName", tenantName)
        .put("tenantKind", tenantKind)
        .put("dataRegion", dataRegion)
        .put("tenantStatus", tenantStatus.wire())
        .put("roles", new JsonArray(roles))
        .put("patientId", patientId.map(UUID::toString).orElse(null));
  }
}
