package io.caduceus.api.prescription;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The pharmacy tells the patient a prescription is ready, and reminds them to refill before the supply runs out. */
class RefillReminderTest {

  private final Api api = TestPlatform.get().api();

  @Test
  void aDispensedPrescriptionWithRefillsLeftBringsOneRefillReminderFromThePharmacy() {
    Prescribing rx = new Prescribing("Refill", "Remy");
    rx.prescribe(Prescribing.METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 1);
    String copy = rx.atPharmacy(Prescribing.METFORMIN).getString("id");
    String admin = rx.pharmacy.token(rx.pharmacy.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    // A 30-day supply and a 30-day lead: the refill is due as soon as the first fill is out.
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("refillLeadDays", 30);
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    expect(rx.dispense(copy, "LOT-1", 30), 200);

    JsonArray refill = Await.until(() -> expect(api.get("/v1/messages?topic=prescription.refill_due", admin), 200)
        .items(), items -> !items.isEmpty());
    assertThat(refill.getJsonObject(0).getString("source")).isEqualTo("reminder");
    // The pickup notice comes through the outbox intake, independently of the scheduler: wait for it too.
    Await.until(() -> expect(api.get("/v1/messages?topic=prescription.pickup_ready", admin), 200).items(),
        items -> items.size() == 1);
    TestPlatform.get().awaitTwoSchedulerRuns("us");
    assertThat(expect(api.get("/v1/messages?topic=prescription.refill_due", admin), 200).items()).hasSize(1);
  }
}
