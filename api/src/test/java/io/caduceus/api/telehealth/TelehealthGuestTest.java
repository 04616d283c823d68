package io.caduceus.api.telehealth;

import io.caduceus.api.live.LiveClient;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Conformance;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.keys.TenantSecrets;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guests of a virtual visit over HTTP: an interpreter's single-use code and key, staff guests, the room's
 * capacity, revocation (the sandbox records the disconnect), and who may reach them at all.
 */
class TelehealthGuestTest extends ClinicFixture {

  private static final String PASSES = "/v1/telehealth/guest-passes";

  private VirtualVisits visits;
  private String patientId;
  private String patient;
  private String doctor;

  @BeforeEach
  void aPatientWithTheApp() {
    visits = new VirtualVisits(clinic);
    patientId = clinic.patient("Guest", "Gloria").getString("id");
    patient = platform.token(visits.patientAccount(patientId));
    doctor = clinic.token(clinic.doctor);
  }

  @Test
  void anInterpreterJoinsOnceWithTheCodeThenWithTheKeyUntilTheVisitEnds() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 4));
    String s = waitingVisit();
    Api.Response invited = expect(conform("POST", s + "/guests", api.post(s + "/guests", doctor,
        interpreter("Ines Interpreter"))), 201);
    JsonObject guest = invited.json();
    String code = guest.getString("code");
    assertThat(code).isNotBlank();
    assertThat(invited.header("Location")).isEqualTo(s + "/guests/" + guest.getString("id"));
    assertThat(guest.getString("status")).isEqualTo("invited");
    assertThat(guest.getString("identity")).isEqualTo("guest:" + guest.getString("id"));
    assertThat(Instant.parse(guest.getString("codeExpiresAt"))).isAfter(Instant.now());
    assertThat(storedGuests()).noneMatch(row -> row.contains(code));
    assertThat(expect(api.get(s, doctor), 200).json().getInteger("guestCount")).isEqualTo(1);

    // Before the clinician admits the patient the code is refused but not spent.
    assertThat(expect(conform("POST", PASSES, api.post(PASSES, null, new JsonObject().put("code", code))), 409)
        .json().getString("detail")).contains("admits");
    JsonObject admitted = expect(api.post(s + "/admit", doctor, null), 200).json();

    JsonObject pass = expect(conform("POST", PASSES, api.post(PASSES, null, new JsonObject().put("code", code))), 200)
        .json();
    assertThat(pass.getString("guestId")).isEqualTo(guest.getString("id"));
    assertThat(pass.getString("kind")).isEqualTo("interpreter");
    String key = pass.getString("key");
    assertThat(key).isNotBlank().isNotEqualTo(code);
    JsonObject claims = claims(pass.getJsonObject("video").getString("token"));
    assertThat(claims.getJsonObject("grants").getString("identity")).isEqualTo("guest:" + guest.getString("id"));
    assertThat(claims.getJsonObject("grants").getJsonObject("video").getString("room"))
        .isEqualTo(admitted.getString("roomName"));
    assertThat(claims.getLong("exp")).isGreaterThan(Instant.now().getEpochSecond())
        .isLessThanOrEqualTo(Instant.now().plus(10, ChronoUnit.MINUTES).getEpochSecond() + 2);
    assertThat(pass.getJsonObject("video").getString("identity")).isEqualTo("guest:" + guest.getString("id"));

    // The code is spent by its first exchange; the key gets fresh tokens, and is never shown again.
    expect(conform("POST", PASSES, api.post(PASSES, null, new JsonObject().put("code", code))), 404);
    JsonObject again = expect(api.post(PASSES, null, new JsonObject().put("key", key)), 200).json();
    assertThat(again.containsKey("key")).isFalse();
    assertThat(claims(again.getJsonObject("video").getString("token")).getJsonObject("grants").getString("identity"))
        .isEqualTo("guest:" + guest.getString("id"));
    assertThat(storedGuests()).noneMatch(row -> row.contains(key));
    JsonObject listed = expect(conform("GET", s + "/guests", api.get(s + "/guests", doctor)), 200).items()
        .getJsonObject(0);
    assertThat(listed.getString("status")).isEqualTo("active");
    assertThat(listed.getString("redeemedAt")).isNotNull();
    assertThat(listed.encode()).doesNotContain(code).doesNotContain(key);
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_guest.join")).isNotEmpty();

    // Twilio reports the interpreter in the room: the participants record names the guest's kind.
    Sql.update(platform.superuser("us"), "INSERT INTO telehealth_video_event (tenant_id, id, session_id, patient_id,"
            + " room_sid, sequence_number, event, identity, participant_sid, occurred_at) VALUES (?, ?, ?, ?, ?, 1,"
            + " 'participant-connected', ?, 'PA1', now())", clinic.tenant.id().value(), UUID.randomUUID(),
        UUID.fromString(admitted.getString("id")), UUID.fromString(patientId), "RM" + UUID.randomUUID(),
        "guest:" + guest.getString("id"));
    JsonObject joined = expect(api.get(s + "/participants", doctor), 200).items().getJsonObject(0);
    assertThat(joined.getString("guestKind")).isEqualTo("interpreter");

    JsonObject nurseGuest = expect(api.post(s + "/guests", doctor, staff(clinic.nurse.id())), 201).json();
    String nurse = clinic.token(clinic.nurse);
    expect(api.get(s + "/messages", nurse), 200);
    expect(api.post(s + "/end", doctor, null), 200);
    // Ending the visit ends every guest's access: the key, and a staff guest's token and chat.
    expect(api.post(s + "/video-token", nurse, null), 409);
    expect(api.get(s + "/messages", nurse), 403);
    assertThat(nurseGuest.getString("status")).isEqualTo("active");
    assertThat(expect(api.post(PASSES, null, new JsonObject().put("key", key)), 409).json().getString("detail"))
        .contains("over");
    assertThat(expect(api.get(s + "/guests", doctor), 200).items().getJsonObject(0).getString("status"))
        .isEqualTo("ended");
    expect(api.post(s + "/guests", doctor, interpreter("Late Larry")), 409);
  }

  @Test
  void guestsNeverExceedMaxParticipantsAndRaisingTheSettingLetsMoreIn() {
    visits.turnOn();
    String s = waitingVisit();
    Api.Response full = expect(api.post(s + "/guests", doctor, interpreter("Ines")), 409);
    assertThat(full.json().getString("detail")).contains("at most 2").contains("maxParticipants");

    visits.settings(new JsonObject().put("maxParticipants", 4));
    JsonObject nurse = expect(api.post(s + "/guests", doctor, staff(clinic.nurse.id())), 201).json();
    assertThat(nurse.containsKey("code")).isFalse();
    JsonObject family = expect(api.post(s + "/guests", doctor, new JsonObject().put("kind", "family")
        .put("displayName", "Frank Family")), 201).json();
    assertThat(expect(api.post(s + "/guests", doctor, interpreter("Ines")), 409).json().getString("detail"))
        .contains("at most 4");
    expect(api.delete(s + "/guests/" + family.getString("id"), doctor), 204);
    expect(api.post(s + "/guests", doctor, interpreter("Ines")), 201);

    // The room opens with the setting's size, and keeps it: raising the setting later adds no seat.
    JsonObject admitted = expect(api.post(s + "/admit", doctor, null), 200).json();
    assertThat(admitted.getInteger("maxParticipants")).isEqualTo(4);
    assertThat(Sql.query(platform.superuser("us"), "SELECT max_participants FROM telehealth_video_room"
        + " WHERE tenant_id = ? AND room_name = ?", clinic.tenant.id().value(), admitted.getString("roomName"))
        .get(0).get("max_participants")).isEqualTo(4);
    visits.settings(new JsonObject().put("maxParticipants", 6));
    expect(api.post(s + "/guests", doctor, interpreter("Ivan")), 409);
    assertThat(expect(api.get(s + "/guests", doctor), 200).items()).hasSize(3);
    assertThat(nurse.getString("status")).isEqualTo("active");
  }

  @Test
  void aStaffGuestGetsVideoTokensAndTheChatUntilRevokedAndIsThenDisconnected() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
    String s = waitingVisit();
    String nurse = clinic.token(clinic.nurse);
    expect(api.post(s + "/admit", doctor, null), 200);
    expect(api.post(s + "/video-token", nurse, null), 403);
    expect(api.get(s + "/messages", nurse), 403);

    expect(api.post(s + "/guests", doctor, staff(clinic.desk.id())), 422);
    expect(api.post(s + "/guests", doctor, staff(UUID.randomUUID())), 422);
    JsonObject guest = expect(api.post(s + "/guests", doctor, staff(clinic.nurse.id())), 201).json();
    expect(api.post(s + "/guests", doctor, staff(clinic.nurse.id())), 409);
    assertThat(guest.getString("identity")).isEqualTo(clinic.nurse.id().toString());

    JsonObject token = expect(api.post(s + "/video-token", nurse, null), 200).json();
    assertThat(token.getString("identity")).isEqualTo(clinic.nurse.id().toString());
    JsonObject said = expect(api.post(s + "/messages", nurse, new JsonObject().put("clientId", "n-1")
        .put("body", "Nurse here")), 201).json();
    assertThat(said.getString("senderRole")).isEqualTo("staff");
    assertThat(expect(api.get(s + "/messages", patient), 200).items()).hasSize(1);
    assertThat(expect(api.get(s + "/messages", nurse), 200).items()).hasSize(1);

    expect(conform("DELETE", s + "/guests/" + guest.getString("id"),
        api.delete(s + "/guests/" + guest.getString("id"), doctor)), 204);
    expect(api.delete(s + "/guests/" + guest.getString("id"), doctor), 204);
    expect(api.post(s + "/video-token", nurse, null), 403);
    expect(api.get(s + "/messages", nurse), 403);
    assertThat(disconnected()).containsExactly(clinic.nurse.id().toString());
    assertThat(expect(api.get(s + "/guests", doctor), 200).items().getJsonObject(0).getString("status"))
        .isEqualTo("revoked");
  }

  @Test
  void aRevokedCodeOrKeyIsRefusedAndAGuestInTheRoomIsDisconnected() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 4));
    String s = waitingVisit();
    JsonObject unused = expect(api.post(s + "/guests", doctor, interpreter("Ines")), 201).json();
    JsonObject family = expect(api.post(s + "/guests", doctor, new JsonObject().put("kind", "caregiver")
        .put("displayName", "Carla Caregiver")), 201).json();
    expect(api.post(s + "/admit", doctor, null), 200);
    String key = expect(api.post(PASSES, null, new JsonObject().put("code", family.getString("code"))), 200)
        .json().getString("key");

    expect(api.delete(s + "/guests/" + unused.getString("id"), doctor), 204);
    expect(api.post(PASSES, null, new JsonObject().put("code", unused.getString("code"))), 404);
    expect(api.delete(s + "/guests/" + family.getString("id"), doctor), 204);
    expect(api.post(PASSES, null, new JsonObject().put("key", key)), 404);
    assertThat(disconnected()).contains("guest:" + family.getString("id"));
    expect(api.delete(s + "/guests/" + UUID.randomUUID(), doctor), 404);

    expect(api.post(PASSES, null, new JsonObject().put("code", "not-a-code-of-any-clinic-at-all")), 404);
    expect(api.post(PASSES, null, new JsonObject().put("code", "x".repeat(30)).put("key", "y".repeat(30))), 400);
    expect(api.post(PASSES, null, new JsonObject()), 400);
  }

  @Test
  void anotherClinicTheFrontDeskAndOtherPatientsCannotReachAVisitsGuests() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
    String s = waitingVisit();
    JsonObject guest = expect(api.post(s + "/guests", doctor, interpreter("Ines")), 201).json();
    expect(api.post(s + "/admit", doctor, null), 200);

    Clinic other = Clinic.in("us");
    String otherDoctor = other.token(other.doctor);
    expect(api.get(s + "/guests", otherDoctor), 404);
    expect(api.post(s + "/guests", otherDoctor, interpreter("Mallory")), 404);
    expect(api.delete(s + "/guests/" + guest.getString("id"), otherDoctor), 404);
    // The code's secret under the other clinic's name finds nothing there.
    String code = guest.getString("code");
    String forged = TenantSecrets.next(other.tenant.id()).substring(0, 23) + code.substring(23);
    expect(api.post(PASSES, null, new JsonObject().put("code", forged)), 404);
    assertThat(TenantSecrets.tenantOf(forged)).contains(other.tenant.id());
    assertThat(TenantSecrets.tenantOf(code)).contains(clinic.tenant.id());

    String desk = clinic.token(clinic.desk);
    expect(api.post(s + "/guests", desk, interpreter("Ines")), 403);
    expect(api.get(s + "/guests", desk), 403);
    expect(api.delete(s + "/guests/" + guest.getString("id"), desk), 403);

    String otherPatient = platform.token(visits.patientAccount(clinic.patient("Other", "Olga").getString("id")));
    expect(api.get(s + "/guests", otherPatient), 404);
    expect(api.post(s + "/guests", patient, interpreter("Ines")), 403);
    assertThat(expect(api.get(s + "/guests", patient), 200).items()).hasSize(1);
    // The code still works for its own clinic.
    expect(api.post(PASSES, null, new JsonObject().put("code", code)), 200);
  }

  @Test
  void thePatientSeesGuestsComeAndGoLiveAndAStaffGuestChatsOverTheSocket() {
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
    String s = waitingVisit();
    String sessionId = s.substring(s.lastIndexOf('/') + 1);
    int port = platform.app().port();
    expect(api.post(s + "/admit", doctor, null), 200);
    try (LiveClient gloria = LiveClient.authenticated(port, patient);
         LiveClient nurse = LiveClient.authenticated(port, clinic.token(clinic.nurse))) {
      gloria.send(new JsonObject().put("type", "subscribe").put("id", "visit").put("topic", "session")
          .put("sessionId", sessionId));
      assertThat(gloria.next("session").getJsonObject("session").getInteger("guestCount")).isZero();
      nurse.send(new JsonObject().put("type", "subscribe").put("id", "chat").put("topic", "chat")
          .put("sessionId", sessionId));
      assertThat(nurse.next("error").getInteger("status")).isEqualTo(403);

      JsonObject guest = expect(api.post(s + "/guests", doctor, staff(clinic.nurse.id())), 201).json();
      assertThat(gloria.next("session").getJsonObject("session").getInteger("guestCount")).isEqualTo(1);
      nurse.send(new JsonObject().put("type", "subscribe").put("id", "chat").put("topic", "chat")
          .put("sessionId", sessionId));
      assertThat(nurse.next("snapshot").getJsonArray("messages")).isEmpty();
      nurse.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", "n-live")
          .put("body", "Nurse joining"));
      assertThat(nurse.next("ack").getString("clientId")).isEqualTo("n-live");

      expect(api.delete(s + "/guests/" + guest.getString("id"), doctor), 204);
      assertThat(gloria.next("session").getJsonObject("session").getInteger("guestCount")).isZero();
    }
    assertThat(expect(api.get(s + "/messages", patient), 200).items().getJsonObject(0).getString("senderRole"))
        .isEqualTo("staff");
  }

  @Test
  void aClinicInItsOwnSchemaOrDatabaseKeepsItsGuestsThere() {
    for (IsolationTier tier : List.of(IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic own = Clinic.in("us", tier);
      VirtualVisits ownVisits = new VirtualVisits(own);
      ownVisits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
      String ownPatientId = own.patient("Tier", "Tina").getString("id");
      String ownPatient = platform.token(ownVisits.patientAccount(ownPatientId));
      String s = VirtualVisits.session(expect(ownVisits.book(ownPatientId, Instant.now().plus(5, ChronoUnit.MINUTES),
          30), 201).json());
      expect(api.post(s + "/check-in", ownPatient, from("home")), 200);
      String ownDoctor = own.token(own.doctor);
      String code = expect(api.post(s + "/guests", ownDoctor, interpreter("Ines")), 201).json().getString("code");
      expect(api.post(s + "/admit", ownDoctor, null), 200);
      JsonObject pass = expect(api.post(PASSES, null, new JsonObject().put("code", code)), 200).json();
      assertThat(pass.getJsonObject("video").getString("identity")).isEqualTo("guest:" + pass.getString("guestId"));
      assertThat(expect(api.get(s + "/guests", ownDoctor), 200).items()).hasSize(1);
      assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM telehealth_guest WHERE tenant_id = ?",
          own.tenant.id().value()).get(0).get("n")).isEqualTo(0L);
    }
  }

  /** A virtual visit starting in five minutes whose patient has checked in; its path. */
  private String waitingVisit() {
    JsonObject booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    String s = VirtualVisits.session(booked);
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    return s;
  }

  private static JsonObject interpreter(String name) {
    return new JsonObject().put("kind", "interpreter").put("displayName", name);
  }

  private static JsonObject staff(UUID userId) {
    return new JsonObject().put("kind", "staff").put("userId", userId.toString());
  }

  private List<String> storedGuests() {
    return Sql.query(platform.superuser("us"), "SELECT row_to_json(g)::text AS row FROM telehealth_guest g"
        + " WHERE tenant_id = ?", clinic.tenant.id().value()).stream().map(r -> (String) r.get("row")).toList();
  }

  private List<String> disconnected() {
    return Sql.query(platform.superuser("us"), "SELECT identity FROM telehealth_video_disconnect WHERE tenant_id = ?"
        + " AND provider = 'sandbox' ORDER BY requested_at", clinic.tenant.id().value()).stream()
        .map(r -> (String) r.get("identity")).toList();
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static Api.Response conform(String method, String path, Api.Response response) {
    return Conformance.get().check(method, path, response);
  }
}
