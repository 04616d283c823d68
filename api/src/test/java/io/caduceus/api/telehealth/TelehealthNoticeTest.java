package io.caduceus.api.telehealth;

import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.telehealth.VirtualVisits.session;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The notices of a virtual visit, through the engagement engine: "your clinician is ready" and "starts soon". */
class TelehealthNoticeTest extends ClinicFixture {

  private VirtualVisits visits;

  @BeforeEach
  void virtualVisitsOn() {
    visits = new VirtualVisits(clinic);
    visits.turnOn();
  }

  @Test
  void theReadyNoticePassesQuietHoursWhileTheBookingNoticeWaits() {
    quietHours("00:01", "00:00");
    String patientId = patient("Quinn");
    String patient = platform.token(visits.patientAccount(patientId));
    expect(api.post("/v1/portal/devices", patient, new JsonObject().put("token", "fcm-token-ready-123456")
        .put("platform", "ios")), 201);
    String s = session(expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json());
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    expect(api.post(s + "/admit", clinic.token(clinic.doctor), null), 200);

    JsonObject ready = Await.until(() -> messages("telehealth.ready", patientId),
        items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
    assertThat(ready.getBoolean("critical")).isTrue();
    assertThat(ready.getString("channel")).isEqualTo("push");
    assertThat(ready.encode()).doesNotContain("Rash");
    // The booking's notice is held by the quiet hours (and expires, since they last past the visit's start).
    JsonArray booked = messages("appointment.booked", patientId);
    assertThat(booked).hasSize(1);
    assertThat(booked.getJsonObject(0).getString("status")).isIn("queued", "expired");
  }

  @Test
  void aPatientWhoOptedOutOfAppointmentNoticesIsNotToldTheClinicianIsReady() {
    quietHours("00:00", "00:00");
    String patientId = patient("Opal");
    String patient = platform.token(visits.patientAccount(patientId));
    expect(api.put("/v1/portal/notification-preferences", patient, new JsonObject()
        .put("channelOrder", new JsonArray().add("push").add("email"))
        .put("optedOutCategories", new JsonArray().add("appointments"))), 200);
    String s = session(expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json());
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    expect(api.post(s + "/admit", clinic.token(clinic.doctor), null), 200);
    JsonObject ready = Await.until(() -> messages("telehealth.ready", patientId),
        items -> !items.isEmpty() && !"queued".equals(items.getJsonObject(0).getString("status"))
            && !"sending".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
    assertThat(ready.getString("status")).isEqualTo("suppressed");
  }

  @Test
  void theStartsSoonNoticeIsSentOnceAndOnlyForAVisitTenMinutesAway() {
    quietHours("00:00", "00:00");
    String soon = patient("Sol");
    String later = patient("Lara");
    expect(visits.book(soon, Instant.now().plus(8, ChronoUnit.MINUTES), 20), 201);
    expect(visits.book(later, Instant.now().plus(45, ChronoUnit.MINUTES), 20), 201);
    Await.until(() -> messages("telehealth.starting", soon), items -> !items.isEmpty());
    platform.awaitTwoSchedulerRuns("us");
    JsonArray sent = messages("telehealth.starting", soon);
    assertThat(sent).hasSize(1);
    assertThat(sent.getJsonObject(0).getString("expiresAt")).isNotNull();
    assertThat(messages("telehealth.starting", later)).isEmpty();
  }

  @Test
  void cancellingTheVisitWithdrawsItsQueuedStartsSoonNotice() {
    // Quiet hours now, ending 4 minutes before the visit: the notice is held in the queue until then (had they
    // lasted past the visit's start, it would have expired at once), and the cancellation finds it there.
    ZoneId zone = ZoneId.of(expect(api.get("/v1/engagement/settings", clinic.token(clinic.admin)), 200).json()
        .getString("timeZone"));
    LocalTime local = LocalTime.now(zone);
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    quietHours(local.minusHours(1).format(hhmm), local.plusMinutes(4).format(hhmm));
    String patientId = patient("Cora");
    JsonObject booked = expect(visits.book(patientId, Instant.now().plus(8, ChronoUnit.MINUTES), 20), 201).json();
    Await.until(() -> messages("telehealth.starting", patientId), items -> !items.isEmpty());
    expect(api.post("/v1/appointments/" + booked.getString("id") + "/status", clinic.token(clinic.desk),
        new JsonObject().put("status", "cancelled")), 200);
    JsonObject withdrawn = Await.until(() -> messages("telehealth.starting", patientId),
        items -> "cancelled".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
    assertThat(withdrawn.getString("status")).isEqualTo("cancelled");
  }

  private void quietHours(String start, String end) {
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", start).put("end", end)).put("dailyCap", 20);
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
  }

  private String patient(String given) {
    return clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Notice").put("given", given))
        .put("birthDate", "1980-05-05").put("sex", "female")
        .put("contact", new JsonObject().put("email", given.toLowerCase() + "@example.test"))).getString("id");
  }

  private JsonArray messages(String topic, String patientId) {
    return expect(api.get("/v1/messages?topic=" + topic + "&patientId=" + patientId, clinic.token(clinic.admin)),
        200).items();
  }
}
