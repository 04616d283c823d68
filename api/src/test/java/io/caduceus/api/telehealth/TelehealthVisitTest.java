package io.caduceus.api.telehealth;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.telehealth.VirtualVisits.session;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A virtual visit over HTTP: booking, check-in, the waiting room, admission, video tokens and the end. */
class TelehealthVisitTest extends ClinicFixture {

  private VirtualVisits visits;
  private String patientId;
  private TestUser patientUser;
  private String patient;
  private String doctor;

  @BeforeEach
  void aPatientWithTheApp() {
    visits = new VirtualVisits(clinic);
    patientId = clinic.patient("Vega", "Vera").getString("id");
    patientUser = visits.patientAccount(patientId);
    patient = platform.token(patientUser);
    doctor = clinic.token(clinic.doctor);
  }

  @Test
  void aVirtualVisitIsRefusedUntilTheClinicOffersThemAndThenOpensItsSession() {
    Api.Response off = expect(visits.book(patientId, soon(5), 30), 422);
    assertThat(off.json().getString("detail")).contains("virtual visits");
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
    JsonObject booked = expect(visits.book(patientId, soon(5), 30), 201).json();
    assertThat(booked.getString("modality")).isEqualTo("virtual");
    assertThat(booked.getString("sessionId")).isNotNull();
    JsonObject read = expect(api.get("/v1/appointments/" + booked.getString("id"), patient), 200).json();
    assertThat(read.getString("sessionId")).isEqualTo(booked.getString("sessionId"));
    JsonObject s = expect(api.get(session(booked), patient), 200).json();
    assertThat(s.getString("status")).isEqualTo("scheduled");
    assertThat(s.getString("roomName")).isEqualTo("visit-" + booked.getString("sessionId"));
    assertThat(s.getInteger("maxParticipants")).isEqualTo(3);
    assertThat(s.encode()).doesNotContain("Rash");
    JsonObject inPerson = clinic.appointment(patientId);
    assertThat(inPerson.getString("modality")).isEqualTo("in_person");
    assertThat(inPerson.getValue("sessionId")).isNull();
  }

  @Test
  void settingsAreTheAdminsAndVersioned() {
    String admin = clinic.token(clinic.admin);
    JsonObject defaults = expect(api.get("/v1/telehealth/settings", admin), 200).json();
    assertThat(defaults.getBoolean("virtualVisits")).isFalse();
    assertThat(defaults.getInteger("version")).isZero();
    expect(api.get("/v1/telehealth/settings", doctor), 403);
    JsonObject on = new JsonObject().put("virtualVisits", true);
    expect(api.send("PUT", "/v1/telehealth/settings", admin, on.encode(), Map.of()), 428);
    expect(api.send("PUT", "/v1/telehealth/settings", doctor, on.encode(), Map.of("If-Match", "\"0\"")), 403);
    JsonObject set = expect(api.send("PUT", "/v1/telehealth/settings", admin, on.encode(),
        Map.of("If-Match", "\"0\"")), 200).json();
    assertThat(set.getInteger("version")).isEqualTo(1);
    assertThat(set.getInteger("checkInLeadMinutes")).isEqualTo(15);
    expect(api.send("PUT", "/v1/telehealth/settings", admin, on.encode(), Map.of("If-Match", "\"0\"")), 412);
    expect(api.send("PUT", "/v1/telehealth/settings", admin, new JsonObject().put("maxParticipants", 11).encode(),
        Map.of("If-Match", "\"1\"")), 400);
  }

  @Test
  void aVirtualVisitRunsFromCheckInToATelehealthEncounter() {
    visits.turnOn();
    JsonObject booked = expect(visits.book(patientId, soon(5), 30), 201).json();
    String s = session(booked);
    expect(api.post(s + "/admit", doctor, null), 409);
    expect(api.post(s + "/check-in", clinic.token(clinic.desk), from("home")), 403);

    JsonObject waiting = expect(api.post(s + "/check-in", patient, from("elsewhere")), 200).json();
    assertThat(waiting.getString("status")).isEqualTo("waiting");
    assertThat(waiting.getString("patientLocation")).isEqualTo("elsewhere");
    JsonObject again = expect(api.post(s + "/check-in", patient, from("elsewhere")), 200).json();
    assertThat(again.getInteger("version")).isEqualTo(waiting.getInteger("version"));
    expect(api.post(s + "/check-in", clinic.token(clinic.desk), from("home")), 403);
    assertThat(appointmentStatus(booked)).isEqualTo("checked_in");
    assertThat(expect(api.get("/v1/telehealth/waiting-room?practitionerId=" + clinic.practitionerId, doctor), 200)
        .items().getJsonObject(0).getString("sessionId")).isEqualTo(booked.getString("sessionId"));
    expect(api.post(s + "/video-token", patient, null), 409);

    JsonObject admitted = expect(api.post(s + "/admit", doctor, null), 200).json();
    assertThat(admitted.getString("status")).isEqualTo("in_progress");
    assertThat(admitted.getString("videoProvider")).isEqualTo("sandbox");
    assertThat(admitted.getString("admittedBy")).isEqualTo(clinic.doctor.id().toString());
    assertThat(expect(api.post(s + "/admit", doctor, null), 200).json().getInteger("version"))
        .isEqualTo(admitted.getInteger("version"));
    assertThat(expect(api.get("/v1/telehealth/waiting-room", doctor), 200).items()).isEmpty();

    JsonObject patientToken = expect(api.post(s + "/video-token", patient, null), 200).json();
    JsonObject doctorToken = expect(api.post(s + "/video-token", doctor, null), 200).json();
    assertThat(patientToken.getString("identity")).isEqualTo(patientUser.id().toString());
    assertThat(doctorToken.getString("identity")).isEqualTo(clinic.doctor.id().toString());
    assertThat(patientToken.getString("room")).isEqualTo(admitted.getString("roomName"));
    assertThat(patientToken.encode()).doesNotContain("Vega");
    assertThat(Instant.parse(patientToken.getString("expiresAt")))
        .isBefore(Instant.now().plus(31, ChronoUnit.MINUTES)).isAfter(Instant.now());
    expect(api.post(s + "/video-token", clinic.token(clinic.desk), null), 403);
    expect(api.post(s + "/end", patient, null), 403);
    TestUser stranger = platform.user(clinic.tenant, "physician");
    expect(api.post(s + "/end", clinic.token(stranger), null), 403);

    JsonObject ended = expect(api.post(s + "/end", doctor, null), 200).json();
    assertThat(ended.getString("status")).isEqualTo("ended");
    assertThat(ended.getLong("durationSeconds")).isNotNegative();
    assertThat(ended.getString("endedAt")).isNotNull();
    assertThat(expect(api.post(s + "/end", doctor, null), 200).json().getInteger("version"))
        .isEqualTo(ended.getInteger("version"));
    expect(api.post(s + "/video-token", patient, null), 409);
    assertThat(appointmentStatus(booked)).isEqualTo("fulfilled");
    JsonObject encounter = expect(api.get("/v1/encounters/" + ended.getString("encounterId"), doctor), 200).json();
    assertThat(encounter.getString("modality")).isEqualTo("virtual");
    assertThat(encounter.getString("appointmentId")).isEqualTo(booked.getString("id"));
  }

  @Test
  void checkInOpensTheClinicsLeadTimeBeforeTheSlot() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("checkInLeadMinutes", 10));
    JsonObject later = expect(visits.book(patientId, soon(60), 30), 201).json();
    Api.Response early = expect(api.post(session(later) + "/check-in", patient, from("home")), 409);
    assertThat(early.json().getString("detail")).contains("check-in opens");
    JsonObject s = expect(api.get(session(later), patient), 200).json();
    assertThat(Instant.parse(s.getString("checkInOpensAt")))
        .isEqualTo(Instant.parse(s.getString("slotStart")).minus(10, ChronoUnit.MINUTES));
    JsonObject near = expect(visits.book(patientId, soon(8), 20), 201).json();
    expect(api.post(session(near) + "/check-in", patient, from("home")), 200);
  }

  @Test
  void aColleagueAdmitsOnlyWhereTheClinicAllowsIt() {
    visits.turnOn();
    TestUser colleague = platform.user(clinic.tenant, "physician");
    expect(api.post("/v1/practitioners", clinic.token(clinic.admin), new JsonObject()
        .put("userId", colleague.id().toString())
        .put("name", new JsonObject().put("family", "Colleague").put("given", "Cal"))), 201);
    TestUser unlisted = platform.user(clinic.tenant, "physician");
    String s = session(expect(visits.book(patientId, soon(5), 30), 201).json());
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    String colleagueToken = clinic.token(colleague);
    expect(api.post(s + "/admit", colleagueToken, null), 403);
    expect(api.post(s + "/admit", clinic.token(clinic.nurse), null), 403);
    visits.settings(new JsonObject().put("colleaguesMayAdmit", true));
    expect(api.post(s + "/admit", clinic.token(unlisted), null), 403);
    JsonObject admitted = expect(api.post(s + "/admit", colleagueToken, null), 200).json();
    assertThat(admitted.getString("admittedBy")).isEqualTo(colleague.id().toString());
    expect(api.post(s + "/video-token", colleagueToken, null), 200);
    expect(api.post(s + "/video-token", doctor, null), 200);
    expect(api.post(s + "/end", colleagueToken, null), 200);
  }

  @Test
  void theWaitingRoomIsProjectedLikeAPatientList() {
    visits.turnOn();
    JsonObject booked = expect(visits.book(patientId, soon(5), 30), 201).json();
    expect(api.post(session(booked) + "/check-in", patient, from("home")), 200);
    JsonObject atDesk = expect(api.get("/v1/telehealth/waiting-room", clinic.token(clinic.desk)), 200).items()
        .getJsonObject(0);
    assertThat(atDesk.getJsonObject("patientName").getString("family")).isEqualTo("Vega");
    assertThat(atDesk.containsKey("reason")).isFalse();
    assertThat(atDesk.getString("waitingSince")).isNotNull();
    assertThat(atDesk.getString("appointmentId")).isEqualTo(booked.getString("id"));
    JsonObject forDoctor = expect(api.get("/v1/telehealth/waiting-room?practitionerId=" + clinic.practitionerId,
        doctor), 200).items().getJsonObject(0);
    assertThat(forDoctor.getString("reason")).isEqualTo("Rash follow-up");
    assertThat(expect(api.get("/v1/telehealth/waiting-room?practitionerId=" + Clinic.unknownId(), doctor), 200)
        .items()).isEmpty();
    expect(api.get("/v1/telehealth/waiting-room", patient), 403);
  }

  @Test
  void cancellingANoShowOrACheckInAtTheDeskMovesTheSessionAndTheAppointmentTogether() {
    visits.turnOn();
    JsonObject first = expect(visits.book(patientId, soon(60), 30), 201).json();
    expect(api.post("/v1/appointments/" + first.getString("id") + "/status", clinic.token(clinic.desk),
        new JsonObject().put("status", "cancelled")), 200);
    assertThat(expect(api.get(session(first), patient), 200).json().getString("status")).isEqualTo("cancelled");

    JsonObject second = expect(visits.book(patientId, soon(120), 30), 201).json();
    JsonObject cancelled = expect(api.post(session(second) + "/cancel", patient, null), 200).json();
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    expect(api.post(session(second) + "/cancel", patient, null), 200);
    assertThat(appointmentStatus(second)).isEqualTo("cancelled");

    JsonObject started = expect(visits.book(patientId, soon(-5), 30), 201).json();
    expect(api.post(session(started) + "/no-show", patient, null), 403);
    expect(api.post(session(started) + "/no-show", clinic.token(clinic.desk), null), 200);
    assertThat(appointmentStatus(started)).isEqualTo("no_show");
    expect(api.post(session(started) + "/check-in", patient, from("home")), 409);

    JsonObject ahead = expect(visits.book(patientId, soon(180), 30), 201).json();
    expect(api.post(session(ahead) + "/no-show", clinic.token(clinic.desk), null), 409);

    JsonObject atDesk = expect(visits.book(patientId, soon(-2), 30), 201).json();
    String status = "/v1/appointments/" + atDesk.getString("id") + "/status";
    expect(api.post(status, clinic.token(clinic.desk), new JsonObject().put("status", "checked_in")), 200);
    JsonObject waiting = expect(api.get(session(atDesk), patient), 200).json();
    assertThat(waiting.getString("status")).isEqualTo("waiting");
    assertThat(waiting.getString("checkedInAt")).isNotNull();
    Api.Response around = expect(api.post(status, doctor, new JsonObject().put("status", "fulfilled")), 409);
    assertThat(around.json().getString("detail")).contains("ending its telehealth session");
    assertThat(appointmentStatus(atDesk)).isEqualTo("checked_in");
  }

  @Test
  void anotherTenantOrPatientSeesNothingOfTheVisit() {
    visits.turnOn();
    JsonObject booked = expect(visits.book(patientId, soon(5), 30), 201).json();
    String s = session(booked);
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    expect(api.post(s + "/admit", doctor, null), 200);

    String otherPatientId = clinic.patient("Other", "Olga").getString("id");
    String other = platform.token(visits.patientAccount(otherPatientId));
    expect(api.get(s, other), 404);
    expect(api.post(s + "/video-token", other, null), 404);
    expect(api.post(s + "/cancel", other, null), 404);
    expect(api.post(s + "/check-in", other, from("home")), 404);

    Clinic elsewhere = Clinic.in("us");
    String theirDoctor = elsewhere.token(elsewhere.doctor);
    expect(api.get(s, theirDoctor), 404);
    expect(api.post(s + "/video-token", theirDoctor, null), 404);
    expect(api.post(s + "/admit", theirDoctor, null), 404);
    expect(api.post(s + "/end", theirDoctor, null), 404);
    assertThat(expect(api.get("/v1/telehealth/waiting-room", elsewhere.token(elsewhere.desk)), 200).items())
        .isEmpty();
    assertThat(expect(api.get(s, doctor), 200).json().getString("status")).isEqualTo("in_progress");
  }

  @Test
  void aVirtualVisitRunsTheSameInATenantWithASchemaOfItsOwn() {
    Clinic own = Clinic.in("us", IsolationTier.SCHEMA);
    VirtualVisits there = new VirtualVisits(own);
    there.turnOn();
    String theirPatientId = own.patient("Schema", "Sia").getString("id");
    String theirPatient = platform.token(there.patientAccount(theirPatientId));
    String theirDoctor = own.token(own.doctor);
    String s = session(expect(there.book(theirPatientId, soon(5), 30), 201).json());
    expect(api.post(s + "/check-in", theirPatient, from("home")), 200);
    assertThat(expect(api.get("/v1/telehealth/waiting-room", theirDoctor), 200).items()).hasSize(1);
    expect(api.post(s + "/admit", theirDoctor, null), 200);
    expect(api.post(s + "/video-token", theirPatient, null), 200);
    JsonObject ended = expect(api.post(s + "/end", theirDoctor, null), 200).json();
    assertThat(expect(api.get("/v1/encounters/" + ended.getString("encounterId"), theirDoctor), 200).json()
        .getString("modality")).isEqualTo("virtual");
    expect(api.get(s, doctor), 404);
  }

  @Test
  void twoCliniciansAdmittingAtOnceMakeOneAdmissionAndOneReadyNotice() throws Exception {
    visits.settings(new JsonObject().put("virtualVisits", true).put("colleaguesMayAdmit", true));
    TestUser colleague = platform.user(clinic.tenant, "physician");
    expect(api.post("/v1/practitioners", clinic.token(clinic.admin), new JsonObject()
        .put("userId", colleague.id().toString())
        .put("name", new JsonObject().put("family", "Racer").put("given", "Rae"))), 201);
    String colleagueToken = clinic.token(colleague);
    JsonObject booked = expect(visits.book(patientId, soon(5), 30), 201).json();
    String s = session(booked);
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Api.Response> one = pool.submit(() -> api.post(s + "/admit", doctor, null));
      Future<Api.Response> two = pool.submit(() -> api.post(s + "/admit", colleagueToken, null));
      JsonObject first = expect(one.get(), 200).json();
      JsonObject second = expect(two.get(), 200).json();
      assertThat(first.getString("admittedBy")).isEqualTo(second.getString("admittedBy"));
      assertThat(first.getString("admittedAt")).isEqualTo(second.getString("admittedAt"));
    } finally {
      pool.shutdown();
    }
    assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM outbox_event WHERE tenant_id = ?"
        + " AND topic = 'telehealth.ready'", clinic.tenant.id().value()).get(0).get("n")).isEqualTo(1L);
  }

  private String appointmentStatus(JsonObject appointment) {
    return expect(api.get("/v1/appointments/" + appointment.getString("id"), doctor), 200).json()
        .getString("status");
  }

  private static Instant soon(int minutes) {
    return Instant.now().plus(minutes, ChronoUnit.MINUTES);
  }
}
