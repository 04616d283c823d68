package io.caduceus.api.partner;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An agreement of two tenants to exchange one kind of item, as either of them sees it. */
public record PartnerLink(UUID id, TenantId requester, String requesterName, String requesterRegion,
                          TenantId partner, String partnerName, String partnerRegion, PartnerScope scope,
                          boolean active, String residencyBasis, Instant residencyDecidedAt, Instant createdAt,
                          boolean tenantsActive) {

  /** Maps a row of {@link PartnerSql#LINK_COLUMNS}. */
  static PartnerLink fromRow(Row row) {
    return new PartnerLink(row.getUUID("id"), new TenantId(row.getUUID("requester_tenant_id")),
        row.getString("requester_name"), row.getString("requester_region"),
        new TenantId(row.getUUID("partner_tenant_id")), row.getString("partner_name"),
        row.getString("partner_region"), PartnerScope.fromWire(row.getString("scope")),
        "active".equals(row.getString("status")), row.getString("residency_basis"),
        row.getOffsetDateTime("residency_decided_at") == null ? null
            : row.getOffsetDateTime("residency_decided_at").toInstant(),
        row.getOffsetDateTime("created_at").toInstant(),
        "active".equals(row.getString("requester_status")) && "active".equals(row.getString("partner_status")));
  }

  /**
   * Why traffic may not cross this link now, or empty if it may: the link is revoked, a tenant is not active,
   * or the data would cross regions without a recorded residency decision.
   */
  public Optional<DomainException> refusal() {
    if (!active) {
      return Optional.of(new Forbidden("the " + scope.wire() + " link between these tenants has been revoked"));
    }
    if (!tenantsActive) {
      return Optional.of(new Conflict("one of the linked tenants is not active"));
    }
    if (crossesRegions() && residencyBasis == null) {
      return Optional.of(new Conflict(requesterName + " keeps its data in " + requesterRegion + " and " + partnerName
          + " in " + partnerRegion + "; the care provider must record a residency decision on link " + id
          + " before data crosses regions"));
    }
    return Optional.empty();
  }

  /** Whether {@code tenant} is one of the two parties. */
  public boolean joins(TenantId tenant) {
    return requester.equals(tenant) || partner.equals(tenant);
  }

  /** Whether the two tenants keep their data in different regions. */
  public boolean crossesRegions() {
    return !requesterRegion.equals(partnerRegion);
  }

  /** The other tenant of the link, seen from {@code self}. */
  public TenantId other(TenantId self) {
    return self.equals(requester) ? partner : requester;
  }

  /** The contract's {@code PartnerLink}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("scope", scope.wire())
        .put("status", active ? "active" : "revoked")
        .put("requester", new JsonObject().put("tenantId", requester.toString()).put("name", requesterName)
            .put("dataRegion", requesterRegion))
        .put("partner", new JsonObject().put("tenantId", partner.toString()).put("name", partnerName)
            .put("dataRegion", partnerRegion))
        .put("crossesRegions", crossesRegions())
        .put("createdAt", createdAt.toString());
    if (residencyBasis != null) {
      json.put("residency", new JsonObject().put("basis", residencyBasis)
          .put("decidedAt", residencyDecidedAt.toString()));
    }
    return json;
  }
}
