package io.caduceus.routing.router;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the router makes one portal view of the regions' answers. */
class PortalMergeTest {

  private static final String CLINIC_US = "00000000-0000-7000-8000-000000000001";
  private static final String PHARMACY_EU = "00000000-0000-7000-8000-000000000002";
  private static final Map<String, String> REGION_OF = Map.of(CLINIC_US, "us", PHARMACY_EU, "eu");

  @Test
  void eachTenantIsTakenFromItsOwnRegionsAnswerInTheActiveRegionsOrder() {
    Map<String, JsonObject> answers = new HashMap<>();
    answers.put("us", answer(true, source(CLINIC_US, true, null), source(PHARMACY_EU, false, "served by another node"))
        .put("appointments", new JsonArray().add(item(CLINIC_US, "a1"))));
    answers.put("eu", answer(false, source(CLINIC_US, false, "served by another node"), source(PHARMACY_EU, true, null))
        .put("medications", new JsonArray().add(item(PHARMACY_EU, "m1"))));

    JsonObject view = PortalMerge.merge("us", answers, REGION_OF);

    assertThat(view.getJsonObject("name").getString("family")).isEqualTo("Garcia");
    assertThat(view.getJsonArray("sources").stream().map(s -> ((JsonObject) s).getBoolean("available")))
        .containsExactly(true, true);
    assertThat(view.getJsonArray("sources").getJsonObject(0).getString("tenantId")).isEqualTo(CLINIC_US);
    assertThat(view.getJsonArray("appointments")).containsExactly(item(CLINIC_US, "a1"));
    assertThat(view.getJsonArray("medications")).containsExactly(item(PHARMACY_EU, "m1"));
    assertThat(PortalMerge.SECTIONS).allSatisfy(section -> assertThat(view.getJsonArray(section)).isNotNull());
  }

  @Test
  void aTenantWhoseRegionDidNotAnswerIsListedUnavailableWithNothingOfIt() {
    Map<String, JsonObject> answers = Map.of("us",
        answer(true, source(CLINIC_US, true, null), source(PHARMACY_EU, false, "served by another node")));

    JsonObject view = PortalMerge.merge("us", answers, REGION_OF);

    JsonObject eu = view.getJsonArray("sources").getJsonObject(1);
    assertThat(eu.getBoolean("available")).isFalse();
    assertThat(eu.getString("reason")).isEqualTo(PortalMerge.REGION_UNREACHABLE);
    assertThat(view.getJsonArray("medications")).isEmpty();
  }

  @Test
  void anItemIsTakenOnlyFromItsTenantsRegion() {
    Map<String, JsonObject> answers = new HashMap<>();
    answers.put("us", answer(true, source(CLINIC_US, true, null), source(PHARMACY_EU, false, "served by another node"))
        .put("bills", new JsonArray().add(item(PHARMACY_EU, "stray"))));
    answers.put("eu", answer(false, source(CLINIC_US, false, "served by another node"),
        source(PHARMACY_EU, true, null)));

    assertThat(PortalMerge.merge("us", answers, REGION_OF).getJsonArray("bills")).isEmpty();
  }

  private static JsonObject answer(boolean named, JsonObject... sources) {
    JsonObject answer = new JsonObject().put("sources", new JsonArray(List.of((Object[]) sources)));
    PortalMerge.SECTIONS.forEach(section -> answer.put(section, new JsonArray()));
    return named ? answer.put("name", new JsonObject().put("family", "Garcia").put("given", "Maria")) : answer;
  }

  private static JsonObject source(String tenant, boolean available, String reason) {
    JsonObject source = new JsonObject().put("tenantId", tenant).put("tenantName", "T").put("tenantKind", "clinic")
        .put("patientId", tenant).put("available", available);
    return reason == null ? source : source.put("reason", reason);
  }

  private static JsonObject item(String tenant, String id) {
    return new JsonObject().put("id", id).put("tenantId", tenant).put("tenantName", "T");
  }
}
