package io.caduceus.api.lab;

import io.caduceus.api.exchange.ExchangedCopy;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * One tenant's copy of a lab order: {@code outgoing} at the clinic that placed it, {@code incoming} at the lab that
 * serves it, each naming the other tenant and the other copy. Results are loaded with one order.
 */
public record LabOrder(UUID id, String direction, TenantId counterpartTenant, UUID counterpartOrderId, UUID linkId,
                       UUID patientId, UUID encounterId, UUID orderedBy, String ordererName, String ordererNpi,
                       JsonArray tests, String priority, String note, LabOrderStatus status, String report,
                       Instant createdAt, Instant updatedAt, int version, JsonArray results)
    implements ExchangedCopy {

  /** Maps a row of {@link LabOrderSql#COLUMNS}, with {@code results} when the query loaded them. */
  static LabOrder fromRow(Row row) {
    return new LabOrder(row.getUUID("id"), row.getString("direction"), new TenantId(row.getUUID("counterpart_tenant_id")),
        row.getUUID("counterpart_order_id"), row.getUUID("link_id"), row.getUUID("patient_id"),
        row.getUUID("encounter_id"), row.getUUID("ordered_by"), row.getString("orderer_name"),
        row.getString("orderer_npi"), shownTests((JsonArray) row.getJson("tests")), row.getString("priority"),
        row.getString("note"), LabOrderStatus.fromWire(row.getString("status")), row.getString("report"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
        row.getInteger("version"), row.getColumnIndex("results") >= 0 ? (JsonArray) row.getJson("results") : null);
  }

  /**
   * The ordered tests as the contract shows them: a test without a display name has none, rather than a null one
   * (orders placed before this was so, and copies of them, stored {@code "display": null}).
   */
  public static JsonArray shownTests(JsonArray stored) {
    JsonArray shown = new JsonArray();
    stored.forEach(t -> {
      JsonObject test = ((JsonObject) t).copy();
      if (test.getValue("display") == null) {
        test.remove("display");
      }
      shown.add(test);
    });
    return shown;
  }

  /** The contract's {@code LabOrder}. */
  public JsonObject toJson() {
    JsonObject json = json(status.wire())
        .put("partnerOrderId", counterpartOrderId == null ? null : counterpartOrderId.toString())
        .put("orderer", new JsonObject().put("name", ordererName).put("npi", ordererNpi))
        .put("tests", tests)
        .put("priority", priority)
        .put("note", note)
        .put("report", report)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
    if (results != null) {
      json.put("results", results);
    }
    return json;
  }

  /** What the lab receives: the order itself and who ordered it, never anything else of the clinic's chart. */
  JsonObject requisition(JsonObject patient) {
    return new JsonObject().put("orderId", id.toString()).put("patient", patient).put("tests", tests)
        .put("priority", priority).put("note", note)
        .put("orderer", new JsonObject().put("name", ordererName).put("npi", ordererNpi));
  }
}
