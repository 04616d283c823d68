package io.caduceus.api.billing;

import io.caduceus.api.exchange.ExchangedCopy;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One tenant's copy of a claim: {@code outgoing} at the clinic that bills it, {@code incoming} at the insurer that
 * adjudicates it. Each names the other's copy once known. The member id stays sealed under the holder's key.
 */
record Claim(UUID id, String direction, TenantId counterpartTenant, UUID counterpartClaimId, UUID linkId,
             UUID patientId, UUID encounterId, UUID coverageId, byte[] memberIdSealed, LocalDate serviceDate,
             JsonObject provider, JsonArray diagnoses, JsonArray lines, String currency, long totalCents,
             Long approvedCents, long paidCents, ClaimStatus status, String decision, JsonArray reasons,
             JsonArray payments, Instant createdAt, Instant updatedAt, int version) implements ExchangedCopy {

  static Claim fromRow(Row row) {
    return new Claim(row.getUUID("id"), row.getString("direction"), new TenantId(row.getUUID("counterpart_tenant_id")),
        row.getUUID("counterpart_claim_id"), row.getUUID("link_id"), row.getUUID("patient_id"),
        row.getUUID("encounter_id"), row.getUUID("coverage_id"),
        row.getBuffer("member_id_sealed") == null ? null : row.getBuffer("member_id_sealed").getBytes(),
        row.getLocalDate("service_date"), row.getJsonObject("provider"), row.getJsonArray("diagnoses"),
        row.getJsonArray("lines"), row.getString("currency"), row.getLong("total_cents"), row.getLong("approved_cents"),
        row.getLong("paid_cents"), ClaimStatus.fromWire(row.getString("status")), row.getString("decision"),
        row.getJsonArray("reasons"), row.getColumnIndex("payments") < 0 ? null : row.getJsonArray("payments"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
        row.getInteger("version"));
  }

  /** What is approved and not yet paid. */
  long unpaidCents() {
    return (approvedCents == null ? 0 : approvedCents) - paidCents;
  }

  /** The contract's {@code Claim}; the member id only for a caller who may read insurance details. */
  JsonObject toJson(TenantKeys keys, boolean withMemberId) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("direction", direction)
        .put("counterpartTenantId", counterpartTenant.toString())
        .put("counterpartClaimId", counterpartClaimId == null ? null : counterpartClaimId.toString())
        .put("patientId", patientId.toString())
        .put("encounterId", encounterId == null ? null : encounterId.toString())
        .put("serviceDate", serviceDate == null ? null : serviceDate.toString()).put("provider", provider)
        .put("diagnoses", diagnoses).put("lines", lines).put("currency", currency).put("totalCents", totalCents)
        .put("approvedCents", approvedCents).put("paidCents", paidCents).put("status", status.wire())
        .put("decision", decision).put("reasons", reasons)
        .put("payments", payments == null ? new JsonArray() : payments)
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString()).put("version", version);
    if (!outgoing()) {
      json.put("coverageId", coverageId == null ? null : coverageId.toString());
    }
    if (withMemberId && memberIdSealed != null) {
      json.put("memberId", keys.open(MemberIds.claimBinding(id), memberIdSealed));
    }
    return json;
  }
}
