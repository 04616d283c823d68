package io.caduceus.routing.catalog;

import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/** A tenant as the catalog knows it: no PHI, only who it is and where its data lives. */
public record Tenant(
    TenantId id,
    TenantKind kind,
    String slug,
    String name,
    TenantStatus status,
    String dataRegion,
    IsolationTier tier,
    String locale,
    String timeZone,
    JsonObject branding,
    Instant createdAt,
    Instant updatedAt,
    int version) {

  /** Maps a row of {@link TenantSql#COLUMNS}. */
  public static Tenant fromRow(Row row) {
    return new Tenant(
        new TenantId(row.getUUID("id")),
        TenantKind.fromWire(row.getString("kind")),
        row.getString("slug"),
        row.getString("name"),
        TenantStatus.fromWire(row.getString("status")),
        row.getString("data_region"),
        IsolationTier.fromWire(row.getString("isolation_tier")),
        row.getString("locale"),
        row.getString("time_zone"),
        row.getJsonObject("branding"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getInteger("version"));
  }

  /** Whether the tenant's users may act. */
  public boolean isActive() {
    return status == TenantStatus.ACTIVE;
  }
}
