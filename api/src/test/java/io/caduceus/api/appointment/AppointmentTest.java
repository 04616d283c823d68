package io.caduceus.api.appointment;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class AppointmentTest extends ClinicFixture {

  private String patientId;

  @BeforeEach
  void aPatient() {
    patientId = clinic.patient("Booker", "Bea").getString("id");
  }

  @Test
  void booksAnAppointmentAndWritesItsNoticeToTheOutbox() {
    JsonObject booked = clinic.appointment(patientId);
    assertThat(booked.getString("status")).isEqualTo("booked");
    List<Map<String, Object>> outbox = Sql.query(platform.superuser("us"),
        "SELECT topic, ordering_key, payload::text AS payload FROM outbox_event WHERE tenant_id = ?",
        clinic.tenant.id().value());
    assertThat(outbox).hasSize(1);
    assertThat(outbox.get(0).get("topic")).isEqualTo("appointment.booked");
    assertThat(outbox.get(0).get("ordering_key")).isEqualTo(booked.getString("id"));
    assertThat((String) outbox.get(0).get("payload")).contains(patientId).doesNotContain("Booker");
  }

  @Test
  void aPractitionerCanNeverBeDoubleBooked() {
    Instant start = Clinic.nextSlot();
    String other = clinic.patient("Second", "Sid").getString("id");
    expect(book(patientId, start, start.plus(30, ChronoUnit.MINUTES)), 201);
    Api.Response overlap = expect(book(other, start.plus(15, ChronoUnit.MINUTES), start.plus(45, ChronoUnit.MINUTES)), 409);
    assertThat(overlap.json().getString("detail")).contains("already has an appointment");
    expect(book(other, start.plus(30, ChronoUnit.MINUTES), start.plus(60, ChronoUnit.MINUTES)), 201);
  }

  @Test
  void concurrentBookingsOfOneSlotHaveExactlyOneWinner() throws Exception {
    Instant start = Clinic.nextSlot();
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      patients.add(clinic.patient("Racer" + i, "R").getString("id"));
    }
    clinic.token(clinic.desk);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Integer>> attempts = new ArrayList<>();
      for (String p : patients) {
        attempts.add(CompletableFuture.supplyAsync(() -> book(p, start, start.plus(20, ChronoUnit.MINUTES)).status(), pool));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Integer> attempt : attempts) {
        statuses.add(attempt.get());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void followsTheStateMachine() {
    String path = "/v1/appointments/" + clinic.dueAppointment(patientId).getString("id");
    String desk = clinic.token(clinic.desk);
    expect(api.post(path + "/status", desk, status("fulfilled")), 409);
    JsonObject checkedIn = expect(api.post(path + "/status", desk, status("checked_in")), 200).json();
    assertThat(checkedIn.getString("status")).isEqualTo("checked_in");
    expect(api.post(path + "/status", desk, status("no_show")), 409);
    expect(api.post(path + "/status", clinic.token(clinic.nurse), status("fulfilled")), 200);
    expect(api.post(path + "/status", desk, status("cancelled")), 409);
    expect(api.post(path + "/status", desk, new JsonObject().put("status", "booked")), 400);
  }

  @Test
  void aVisitCannotBeCheckedInTheDayBeforeItStarts() {
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
    String id = expect(book(patientId, tomorrow, tomorrow.plus(30, ChronoUnit.MINUTES)), 201).json().getString("id");
    Api.Response early = expect(api.post("/v1/appointments/" + id + "/status", clinic.token(clinic.desk),
        status("checked_in")), 409);
    assertThat(early.json().getString("detail")).contains("check-in opens");
    assertThat(expect(api.get("/v1/appointments/" + id, clinic.token(clinic.desk)), 200).json().getString("status"))
        .isEqualTo("booked");
  }

  @Test
  void checkInOpensTwoHoursAheadOnTheDayButTheOutcomeWaitsForTheStart() {
    inAZoneWhereItIsMidday();
    Instant soon = Instant.now().plus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
    String id = expect(book(patientId, soon, soon.plus(30, ChronoUnit.MINUTES)), 201).json().getString("id");
    String path = "/v1/appointments/" + id + "/status";
    String desk = clinic.token(clinic.desk);
    expect(api.post(path, desk, status("no_show")), 409);
    expect(api.post(path, desk, status("checked_in")), 200);
    Api.Response early = expect(api.post(path, clinic.token(clinic.nurse), status("fulfilled")), 409);
    assertThat(early.json().getString("detail")).contains("only once it has started");
    expect(api.post(path, desk, status("cancelled")), 200);
  }

  @Test
  void aFulfilledOrCheckedInVisitKeepsItsSlotAndACancelledOrNoShowOneFreesIt() {
    String other = clinic.patient("Other", "Otto").getString("id");
    JsonObject fulfilled = clinic.dueAppointment(patientId);
    String path = "/v1/appointments/" + fulfilled.getString("id") + "/status";
    expect(api.post(path, clinic.token(clinic.desk), status("checked_in")), 200);
    expect(book(other, Instant.parse(fulfilled.getString("start")), Instant.parse(fulfilled.getString("end"))), 409);
    expect(api.post(path, clinic.token(clinic.nurse), status("fulfilled")), 200);
    Api.Response again = expect(book(other, Instant.parse(fulfilled.getString("start")),
        Instant.parse(fulfilled.getString("end"))), 409);
    assertThat(again.json().getString("detail")).contains("already has an appointment");

    JsonObject missed = clinic.dueAppointment(patientId);
    expect(api.post("/v1/appointments/" + missed.getString("id") + "/status", clinic.token(clinic.desk),
        status("no_show")), 200);
    expect(book(other, Instant.parse(missed.getString("start")), Instant.parse(missed.getString("end"))), 201);
  }

  /** Sets the clinic's time zone to one where it is about midday now, so "now + 30 minutes" is the same day. */
  private void inAZoneWhereItIsMidday() {
    int hoursAhead = Math.max(-12, Math.min(14, 12 - java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour()));
    String zone = hoursAhead == 0 ? "Etc/UTC" : "Etc/GMT" + (hoursAhead > 0 ? "-" : "+") + Math.abs(hoursAhead);
    String tenantPath = "/v1/tenants/" + clinic.tenant.id();
    String etag = expect(api.get(tenantPath, clinic.token(clinic.admin)), 200).header("ETag");
    expect(api.patch(tenantPath, clinic.token(clinic.admin), new JsonObject().put("timeZone", zone), etag), 200);
  }

  @Test
  void aCancelledSlotCanBeBookedAgain() {
    Instant start = Clinic.nextSlot();
    String id = expect(book(patientId, start, start.plus(30, ChronoUnit.MINUTES)), 201).json().getString("id");
    expect(api.post("/v1/appointments/" + id + "/status", clinic.token(clinic.desk),
        status("cancelled").put("reason", "patient called")), 200);
    expect(book(clinic.patient("Next", "Ned").getString("id"), start, start.plus(30, ChronoUnit.MINUTES)), 201);
    assertThat(Sql.query(platform.superuser("us"), "SELECT topic FROM outbox_event WHERE tenant_id = ? AND ordering_key = ?"
        + " ORDER BY txid, id", clinic.tenant.id().value(), id))
        .extracting(r -> r.get("topic")).containsExactly("appointment.booked", "appointment.cancelled");
  }

  @Test
  void reschedulesWithTheCurrentVersionOnly() {
    String path = "/v1/appointments/" + clinic.appointment(patientId).getString("id");
    Instant later = Clinic.nextSlot();
    JsonObject move = new JsonObject().put("start", later.toString()).put("end", later.plus(45, ChronoUnit.MINUTES).toString());
    expect(api.patch(path, clinic.token(clinic.desk), move, null), 428);
    Api.Response moved = expect(api.patch(path, clinic.token(clinic.desk), move, "\"1\""), 200);
    assertThat(moved.json().getString("start")).isEqualTo(later.toString());
    assertThat(moved.header("ETag")).isEqualTo("\"2\"");
    expect(api.patch(path, clinic.token(clinic.desk), move, "\"1\""), 412);
    expect(api.patch(path, clinic.token(clinic.desk), new JsonObject().put("end", later.minusSeconds(60).toString()),
        "\"2\""), 400);
  }

  @Test
  void listsByPractitionerPatientStatusAndTimeRange() {
    Instant start = Clinic.nextSlot();
    String other = clinic.patient("Lister", "Lou").getString("id");
    String first = expect(book(patientId, start, start.plus(30, ChronoUnit.MINUTES)), 201).json().getString("id");
    String second = expect(book(other, start.plus(1, ChronoUnit.HOURS), start.plus(90, ChronoUnit.MINUTES)), 201)
        .json().getString("id");
    String token = clinic.token(clinic.doctor);
    assertThat(ids(api.get("/v1/appointments?patientId=" + patientId, token))).containsExactly(first);
    assertThat(ids(api.get("/v1/appointments?practitionerId=" + clinic.practitionerId + "&from=" + start
        + "&to=" + start.plus(2, ChronoUnit.HOURS), token))).containsExactly(first, second);
    assertThat(ids(api.get("/v1/appointments?from=" + start.plus(1, ChronoUnit.HOURS) + "&to="
        + start.plus(2, ChronoUnit.HOURS), token))).containsExactly(second);
    expect(api.post("/v1/appointments/" + second + "/status", token, status("cancelled")), 200);
    assertThat(ids(api.get("/v1/appointments?status=cancelled", token))).containsExactly(second);
    Api.Response page = expect(api.get("/v1/appointments?limit=1", token), 200);
    assertThat(page.items()).hasSize(1);
    assertThat(ids(api.get("/v1/appointments?limit=1&cursor=" + page.json().getString("nextCursor"), token)))
        .doesNotContain(ids(page).get(0));
  }

  @Test
  void aPatientBooksAndCancelsOnlyForThemself() {
    TestUser bea = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String token = platform.token(bea);
    String stranger = clinic.patient("Stranger", "Stan").getString("id");
    Instant start = Clinic.nextSlot();
    JsonObject own = new JsonObject().put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString());
    JsonObject booked = expect(api.post("/v1/appointments", token, own), 201).json();
    assertThat(booked.getString("patientId")).isEqualTo(patientId);
    expect(api.post("/v1/appointments", token, own.copy().put("patientId", stranger)), 404);
    String strangers = clinic.appointment(stranger).getString("id");
    expect(api.get("/v1/appointments/" + strangers, token), 404);
    assertThat(ids(api.get("/v1/appointments", token))).containsExactly(booked.getString("id"));
    expect(api.post("/v1/appointments/" + strangers + "/status", token, status("cancelled")), 404);
    expect(api.post("/v1/appointments/" + booked.getString("id") + "/status", token, status("checked_in")), 403);
    expect(api.post("/v1/appointments/" + booked.getString("id") + "/status", token, status("cancelled")), 200);
  }

  @Test
  void aPatientCannotCancelOnceCheckedIn() {
    TestUser bea = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String path = "/v1/appointments/" + clinic.dueAppointment(patientId).getString("id") + "/status";
    expect(api.post(path, clinic.token(clinic.desk), status("checked_in")), 200);
    expect(api.post(path, platform.token(bea), status("cancelled")), 409);
    expect(api.post(path, clinic.token(clinic.desk), status("cancelled")), 200);
  }

  @Test
  void staffMustNameThePatientAndBookOnlyRealPeople() {
    Instant start = Clinic.nextSlot();
    JsonObject body = new JsonObject().put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString());
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), body), 400);
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), body.copy().put("patientId", Clinic.unknownId())), 404);
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), body.copy().put("patientId", patientId)
        .put("practitionerId", Clinic.unknownId())), 404);
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), body.copy().put("patientId", patientId)
        .put("end", start.minusSeconds(1).toString())), 400);
    expect(api.post("/v1/appointments", clinic.token(clinic.nurse), body.copy().put("patientId", patientId)), 403);
  }

  @Test
  void deletingAnAppointmentEnteredInErrorFreesItsSlot() {
    Instant start = Clinic.nextSlot();
    String id = expect(book(patientId, start, start.plus(30, ChronoUnit.MINUTES)), 201).json().getString("id");
    expect(api.delete("/v1/appointments/" + id, clinic.token(clinic.doctor)), 403);
    expect(api.delete("/v1/appointments/" + id, clinic.token(clinic.desk)), 204);
    expect(api.get("/v1/appointments/" + id, clinic.token(clinic.desk)), 404);
    expect(book(patientId, start, start.plus(30, ChronoUnit.MINUTES)), 201);
  }

  @Test
  void aRetriedStatusChangeIsAppliedOnce() {
    String path = "/v1/appointments/" + clinic.dueAppointment(patientId).getString("id") + "/status";
    Map<String, String> key = Map.of("Idempotency-Key", "checkin-" + UUID.randomUUID());
    Api.Response first = expect(api.post(path, clinic.token(clinic.desk), status("checked_in"), key), 200);
    Api.Response again = expect(api.post(path, clinic.token(clinic.desk), status("checked_in"), key), 200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    String other = "/v1/appointments/" + clinic.dueAppointment(patientId).getString("id") + "/status";
    expect(api.post(other, clinic.token(clinic.desk), status("checked_in"), key), 422);
  }

  private Api.Response book(String patient, Instant start, Instant end) {
    return api.post("/v1/appointments", clinic.token(clinic.desk), new JsonObject().put("patientId", patient)
        .put("practitionerId", clinic.practitionerId).put("start", start.toString()).put("end", end.toString()));
  }

  private static JsonObject status(String next) {
    return new JsonObject().put("status", next);
  }

  private static List<String> ids(Api.Response r) {
    return r.items().stream().map(a -> ((JsonObject) a).getString("id")).toList();
  }
}
