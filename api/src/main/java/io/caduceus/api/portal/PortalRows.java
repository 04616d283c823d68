package io.caduceus.api.portal;

import io.caduceus.api.lab.LabOrder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.List;

/** Maps the portal's rows to the contract's shapes, each item naming the tenant it came from. */
final class PortalRows {

  private PortalRows() {
  }

  /** The items, each naming the tenant {@code source} describes. */
  static JsonArray from(List<JsonObject> items, JsonObject source) {
    JsonArray out = new JsonArray();
    items.forEach(item -> out.add(item.put("tenantId", source.getString("tenantId"))
        .put("tenantName", source.getString("tenantName"))));
    return out;
  }

  static JsonObject appointment(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString())
        .put("practitionerId", row.getUUID("practitioner_id").toString())
        .put("start", instant(row.getOffsetDateTime("starts_at"))).put("end", instant(row.getOffsetDateTime("ends_at")))
        .put("status", row.getString("status"));
  }

  static JsonObject visit(Row row) {
    return new JsonObject().put("encounterId", row.getUUID("id").toString())
        .put("appointmentId", row.getUUID("appointment_id").toString())
        .put("openedAt", instant(row.getOffsetDateTime("opened_at")))
        .put("signedAt", instant(row.getOffsetDateTime("signed_at")));
  }

  static JsonObject result(Row row) {
    return copy(row, "counterpart_order_id").put("orderId", row.getUUID("id").toString())
        .put("status", row.getString("status"))
        .put("tests", LabOrder.shownTests((JsonArray) row.getJson("tests"))).put("report", row.getString("report"))
        .put("results", row.getJson("results"))
        .put("orderedAt", instant(row.getOffsetDateTime("created_at")))
        .put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
  }

  static JsonObject medication(Row row) {
    return copy(row, "counterpart_prescription_id").put("prescriptionId", row.getUUID("id").toString())
        .put("rxnorm", row.getString("rxnorm_code")).put("drug", row.getString("drug_display"))
        .put("dose", row.getString("dose")).put("frequency", row.getString("frequency"))
        .put("quantity", row.getNumeric("quantity").doubleValue()).put("refills", row.getInteger("refills"))
        .put("daysSupply", row.getInteger("days_supply")).put("status", row.getString("status"))
        .put("fills", row.getInteger("fills")).put("lastFilledAt", instant(row.getOffsetDateTime("last_filled_at")))
        .put("prescribedAt", instant(row.getOffsetDateTime("created_at")));
  }

  /**
   * A claim as a bill: what the visit cost, what the insurer paid, and what is left for the patient - unknown
   * while the claim is submitted, the unapproved part once adjudicated, the unpaid part once paid, all of it
   * when denied.
   */
  static JsonObject bill(Row row) {
    String status = row.getString("status");
    long total = row.getLong("total_cents");
    Long approved = row.getLong("approved_cents");
    long paid = row.getLong("paid_cents");
    Long balance = switch (status) {
      case "adjudicated" -> total - (approved == null ? 0 : approved);
      case "paid" -> total - paid;
      case "denied" -> total;
      default -> null;
    };
    return new JsonObject().put("claimId", row.getUUID("id").toString()).put("status", status)
        .put("decision", row.getString("decision")).put("currency", row.getString("currency"))
        .put("totalCents", total).put("insurerPaidCents", paid).put("balanceCents", balance)
        .put("submittedAt", instant(row.getOffsetDateTime("created_at")))
        .put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
  }

  /** The key of the item an incoming copy was made from, so the same item seen at two tenants shows once. */
  static final String COPY_OF = "copyOf";

  private static JsonObject copy(Row row, String counterpartColumn) {
    JsonObject json = new JsonObject();
    if ("incoming".equals(row.getString("direction")) && row.getUUID(counterpartColumn) != null) {
      json.put(COPY_OF, row.getUUID("counterpart_tenant_id") + "/" + row.getUUID(counterpartColumn));
    }
    return json;
  }

  private static String instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}
