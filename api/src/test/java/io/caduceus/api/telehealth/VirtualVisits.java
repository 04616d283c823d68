package io.caduceus.api.telehealth;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;

/** Virtual visits driven through the API: the clinic's telehealth settings, booking, and a patient's own token. */
public final class VirtualVisits {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final Clinic clinic;

  public VirtualVisits(Clinic clinic) {
    this.clinic = clinic;
  }

  /** Changes the clinic's telehealth settings as its admin, at their current version; answers them. */
  public JsonObject settings(JsonObject changes) {
    String admin = clinic.token(clinic.admin);
    int version = expect(api.get("/v1/telehealth/settings", admin), 200).json().getInteger("version");
    return expect(api.send("PUT", "/v1/telehealth/settings", admin, changes.encode(),
        Map.of("If-Match", "\"" + version + "\"")), 200).json();
  }

  /** Turns virtual visits on. */
  public JsonObject turnOn() {
    return settings(new JsonObject().put("virtualVisits", true));
  }

  /** Books a virtual visit of {@code minutes} starting at {@code start} with the clinic's practitioner. */
  public Api.Response book(String patientId, Instant start, int minutes) {
    return book(patientId, clinic.practitionerId, start, minutes);
  }

  /** Books a virtual visit with the given practitioner. */
  public Api.Response book(String patientId, String practitionerId, Instant start, int minutes) {
    Instant at = start.truncatedTo(ChronoUnit.SECONDS);
    return api.post("/v1/appointments", clinic.token(clinic.desk), new JsonObject().put("patientId", patientId)
        .put("practitionerId", practitionerId).put("start", at.toString())
        .put("end", at.plus(minutes, ChronoUnit.MINUTES).toString()).put("reason", "Rash follow-up")
        .put("modality", "virtual"));
  }

  /** The path of the session of a booked virtual appointment. */
  public static String session(JsonObject appointment) {
    return "/v1/telehealth/sessions/" + appointment.getString("sessionId");
  }

  /** The patient's own app account. */
  public TestPlatform.TestUser patientAccount(String patientId) {
    return platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
  }

  /** A check-in body. */
  public static JsonObject from(String location) {
    return new JsonObject().put("location", location);
  }
}
