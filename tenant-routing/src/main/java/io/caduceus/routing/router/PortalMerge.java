package io.caduceus.routing.router;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Merges the regions' answers to {@code GET /v1/portal/records} into the one view the contract describes
 * ({@code PortalRecords}). Every region's node lists all of the patient's tenants but reads only its own, marking
 * the others unavailable; so each tenant's entry, and its items, are taken from the answer of the tenant's own
 * region. A tenant whose region did not answer is listed unavailable. The order is the active region's: tenants
 * oldest membership first, each one's items in its node's order.
 */
final class PortalMerge {

  static final List<String> SECTIONS = List.of("appointments", "visits", "results", "medications", "bills");
  static final String REGION_UNREACHABLE = "this tenant's region cannot be reached now";

  private PortalMerge() {
  }

  /**
   * The view from {@code answers} (region to a node's 200 body), the active tenant's region (whose answer exists
   * and names the patient) and each tenant's region.
   */
  static JsonObject merge(String activeRegion, Map<String, JsonObject> answers, Map<String, String> regionOf) {
    JsonObject base = answers.get(activeRegion);
    JsonObject view = new JsonObject();
    if (base.containsKey("name")) {
      view.put("name", base.getValue("name"));
    }
    JsonArray sources = new JsonArray();
    view.put("sources", sources);
    SECTIONS.forEach(section -> view.put(section, new JsonArray()));
    for (Object listed : base.getJsonArray("sources", new JsonArray())) {
      JsonObject source = (JsonObject) listed;
      String tenant = source.getString("tenantId");
      JsonObject answer = answers.get(regionOf.getOrDefault(tenant, activeRegion));
      JsonObject own = answer == null ? null : entry(answer, tenant);
      if (own == null) {
        sources.add(source.copy().put("available", false).put("reason", REGION_UNREACHABLE));
        continue;
      }
      sources.add(own);
      for (String section : SECTIONS) {
        answer.getJsonArray(section, new JsonArray()).forEach(item -> {
          if (tenant.equals(((JsonObject) item).getString("tenantId"))) {
            view.getJsonArray(section).add(item);
          }
        });
      }
    }
    return view;
  }

  private static JsonObject entry(JsonObject answer, String tenant) {
    for (Object listed : answer.getJsonArray("sources", new JsonArray())) {
      if (tenant.equals(((JsonObject) listed).getString("tenantId"))) {
        return (JsonObject) listed;
      }
    }
    return null;
  }
}
