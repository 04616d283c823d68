package io.caduceus.api.prescription;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.prescription.Prescribing.AMOXICILLIN;
import static io.caduceus.api.prescription.Prescribing.ASPIRIN;
import static io.caduceus.api.prescription.Prescribing.CLARITHROMYCIN;
import static io.caduceus.api.prescription.Prescribing.DIGOXIN;
import static io.caduceus.api.prescription.Prescribing.METFORMIN;
import static io.caduceus.api.prescription.Prescribing.SIMVASTATIN;
import static io.caduceus.api.prescription.Prescribing.WARFARIN;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pharmacist's interaction check: hits from the shipped knowledge base and the pharmacy's own rules, against the
 * patient's active medications at the pharmacy, block dispensing until acknowledged.
 */
class InteractionCheckTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void anInteractionBlocksDispensingUntilThePharmacistAcknowledgesIt() {
    Prescribing rx = new Prescribing("Bleed", "Bella");
    String warfarin = rx.received(WARFARIN, "warfarin sodium 5 MG Oral Tablet", 0);
    String aspirin = rx.received(ASPIRIN, "aspirin 81 MG Oral Tablet", 0);

    JsonObject check = rx.check(aspirin);
    assertThat(check.getJsonObject("knowledgeBase").getString("version")).isNotBlank();
    assertThat(check.getInteger("unacknowledged")).isEqualTo(1);
    JsonObject hit = check.getJsonArray("hits").getJsonObject(0);
    assertThat(hit.getString("pair")).isEqualTo("aspirin + warfarin");
    assertThat(hit.getString("severity")).isEqualTo("major");
    assertThat(hit.getString("origin")).isEqualTo("knowledge_base");
    assertThat(hit.getString("effect")).contains("bleeding");
    assertThat(hit.getString("management")).isNotBlank();
    assertThat(hit.getJsonArray("sources").getJsonObject(0).getString("id")).isEqualTo("fda-label-warfarin");
    assertThat(hit.getJsonArray("sources").getJsonObject(0).getString("citation")).contains("Warfarin");
    assertThat(hit.getJsonObject("otherPrescription").getString("id")).isEqualTo(warfarin);
    assertThat(hit.getBoolean("acknowledged")).isFalse();
    String key = hit.getString("key");
    assertThat(rx.check(aspirin).getJsonArray("hits").getJsonObject(0).getString("key")).isEqualTo(key);

    Api.Response blocked = expect(rx.dispense(aspirin, "LOT-X", 30), 409);
    assertThat(blocked.json().getString("detail")).contains("aspirin + warfarin (major").contains(key)
        .doesNotContain("Bleed");
    assertThat(expect(api.get("/v1/prescriptions/" + aspirin, rx.pharmacist()), 200).json().getInteger("fills"))
        .isEqualTo(0);

    String review = "/v1/prescriptions/" + aspirin + "/interaction-review";
    expect(api.post(review, rx.pharmacist(), new JsonObject().put("acknowledged", new JsonArray()
        .add("kb:1-2:" + UUID.randomUUID())).put("note", "checked")), 400);
    expect(api.post(review, rx.doctor(), new JsonObject().put("acknowledged", new JsonArray().add(key))
        .put("note", "checked")), 403);
    JsonObject reviewed = expect(api.post(review, rx.pharmacist(), new JsonObject()
        .put("acknowledged", new JsonArray().add(key)).put("note", "Prescriber confirmed; INR monitored")), 200).json();
    JsonObject ack = reviewed.getJsonObject("interactionReview").getJsonArray("acknowledgements").getJsonObject(0);
    assertThat(ack.getString("key")).isEqualTo(key);
    assertThat(ack.getString("acknowledgedBy")).isEqualTo(rx.pharmacy.staff.id().toString());
    assertThat(ack.getString("note")).isEqualTo("Prescriber confirmed; INR monitored");
    assertThat(rx.check(aspirin).getInteger("unacknowledged")).isZero();

    JsonObject filled = expect(rx.dispense(aspirin, "LOT-X", 30), 200).json();
    assertThat(filled.getString("status")).isEqualTo("completed");
    expect(rx.dispense(warfarin, "LOT-W", 30), 409);
  }

  @Test
  void aContraindicatedPairIsFoundForEitherPrescriptionAndSortsFirst() {
    Prescribing rx = new Prescribing("Statin", "Stan");
    String simvastatin = rx.received(SIMVASTATIN, "simvastatin 20 MG Oral Tablet", 2);
    String clarithromycin = rx.received(CLARITHROMYCIN, "clarithromycin 500 MG Oral Tablet", 0);
    rx.received(DIGOXIN, "digoxin 0.125 MG Oral Tablet", 0);
    JsonArray hits = rx.check(clarithromycin).getJsonArray("hits");
    assertThat(hits).extracting(h -> ((JsonObject) h).getString("severity"))
        .containsExactly("contraindicated", "major");
    assertThat(hits.getJsonObject(0).getString("pair")).isEqualTo("clarithromycin + simvastatin");
    assertThat(hits.getJsonObject(0).getJsonArray("sources")).extracting(s -> ((JsonObject) s).getString("id"))
        .contains("onc-hp-ddi-2012");
    assertThat(hits.getJsonObject(1).getString("pair")).isEqualTo("clarithromycin + digoxin");
    assertThat(rx.check(simvastatin).getJsonArray("hits")).hasSize(1);
    assertThat(rx.check(simvastatin).getJsonArray("hits").getJsonObject(0).getString("key"))
        .isNotEqualTo(hits.getJsonObject(0).getString("key"));
  }

  @Test
  void onlyActiveMedicationsAreChecked() {
    Prescribing rx = new Prescribing("Active", "Abe");
    String warfarin = rx.received(WARFARIN, "warfarin sodium 5 MG Oral Tablet", 0);
    String aspirin = rx.received(ASPIRIN, "aspirin 81 MG Oral Tablet", 0);
    String ack = rx.check(warfarin).getJsonArray("hits").getJsonObject(0).getString("key");
    expect(api.post("/v1/prescriptions/" + warfarin + "/interaction-review", rx.pharmacist(), new JsonObject()
        .put("acknowledged", new JsonArray().add(ack)).put("note", "ok")), 200);
    expect(rx.dispense(warfarin, "LOT-W", 30), 200);
    assertThat(rx.check(aspirin).getJsonArray("hits")).hasSize(1);

    // Fully filled 40 days ago with 30 days' supply: the warfarin is used up and no longer active.
    Sql.update(platform.superuser("us"), "UPDATE prescription SET last_filled_at = now() - interval '40 days'"
        + " WHERE tenant_id = ? AND id = ?", rx.pharmacy.tenant.id().value(), UUID.fromString(warfarin));
    JsonObject check = rx.check(aspirin);
    assertThat(check.getInteger("activePrescriptionsChecked")).isZero();
    assertThat(check.getJsonArray("hits")).isEmpty();
    expect(rx.dispense(aspirin, "LOT-A", 30), 200);
  }

  @Test
  void aCancelledPrescriptionIsNoLongerAnActiveMedication() {
    Prescribing rx = new Prescribing("Gone", "Gil");
    String clinicWarfarin = rx.prescribe(WARFARIN, "warfarin sodium 5 MG Oral Tablet", 0).getString("id");
    rx.atPharmacy(WARFARIN);
    String aspirin = rx.received(ASPIRIN, "aspirin 81 MG Oral Tablet", 0);
    assertThat(rx.check(aspirin).getJsonArray("hits")).hasSize(1);
    rx.atClinic(clinicWarfarin, "received");
    expect(api.post("/v1/prescriptions/" + clinicWarfarin + "/cancel", rx.doctor(), null), 200);
    Await.until(() -> rx.check(aspirin).getJsonArray("hits"), JsonArray::isEmpty);
    expect(rx.dispense(aspirin, "LOT-A", 30), 200);
  }

  @Test
  void aPharmacyRuleAddsAnInteractionForThatPharmacyOnly() {
    Prescribing rx = new Prescribing("Rule", "Ruth");
    rx.received(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0);
    String amoxicillin = rx.received(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0);
    assertThat(rx.check(amoxicillin).getJsonArray("hits")).isEmpty();

    JsonObject body = new JsonObject().put("ingredientA", "723").put("ingredientB", "6809").put("severity", "moderate")
        .put("effect", "Local policy: review renal function.").put("management", "Check eGFR before dispensing.")
        .put("source", "Pharmacy and therapeutics committee minutes, 2026-03");
    expect(api.post("/v1/interaction-rules", rx.doctor(), body), 403);
    JsonObject unsourced = body.copy();
    unsourced.remove("source");
    expect(api.post("/v1/interaction-rules", rx.pharmacist(), unsourced), 400);
    expect(api.post("/v1/interaction-rules", rx.pharmacist(), body.copy().put("source", "")), 400);
    expect(api.post("/v1/interaction-rules", rx.pharmacist(), body.copy().put("ingredientB", "723")), 400);
    JsonObject rule = expect(api.post("/v1/interaction-rules", rx.pharmacist(), body), 201).json();
    assertThat(rule.getString("ingredientA")).isEqualTo("6809");
    assertThat(rule.getString("ingredientB")).isEqualTo("723");
    expect(api.post("/v1/interaction-rules", rx.pharmacy.token(rx.pharmacy.admin), body.copy()
        .put("ingredientA", "6809").put("ingredientB", "723")), 409);

    JsonObject hit = rx.check(amoxicillin).getJsonArray("hits").getJsonObject(0);
    assertThat(hit.getString("origin")).isEqualTo("pharmacy_rule");
    assertThat(hit.getString("ruleId")).isEqualTo(rule.getString("id"));
    assertThat(hit.getString("pair")).isEqualTo("amoxicillin + metformin");
    assertThat(hit.getJsonArray("sources").getJsonObject(0).getString("citation")).contains("committee minutes");
    expect(rx.dispense(amoxicillin, "LOT-R", 30), 409);

    Partner other = Partner.pharmacy("us");
    assertThat(expect(api.get("/v1/interaction-rules", other.token(other.staff)), 200).items()).isEmpty();
    expect(api.delete("/v1/interaction-rules/" + rule.getString("id"), other.token(other.staff)), 404);
    assertThat(expect(api.get("/v1/interaction-rules", rx.pharmacist()), 200).items()).hasSize(1);
    expect(api.delete("/v1/interaction-rules/" + rule.getString("id"), rx.pharmacist()), 204);
    assertThat(rx.check(amoxicillin).getJsonArray("hits")).isEmpty();
    expect(rx.dispense(amoxicillin, "LOT-R", 30), 200);
  }
}
