package io.caduceus.api.live;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions over real WebSockets on one node: the current state first, then every change, read under the
 * subscriber's own rules (a refusal is REST's status in an error frame), audited like REST reads; chat sends acked
 * after commit; a revoked session closed on the next push.
 */
class LiveSubscriptionTest extends ClinicFixture {

  private final int port = platform.app().port();
  private String patientId;
  private TestUser patientUser;
  private String patient;
  private String doctor;
  private JsonObject booked;
  private String sessionId;

  @BeforeEach
  void aVirtualVisit() {
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.turnOn();
    patientId = clinic.patient("Live", "Lina").getString("id");
    patientUser = visits.patientAccount(patientId);
    patient = platform.token(patientUser);
    doctor = clinic.token(clinic.doctor);
    booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    sessionId = booked.getString("sessionId");
  }

  @Test
  void thePatientSeesHerSessionAndTheClinicianHisWaitingRoomChangeLive() {
    try (LiveClient lina = LiveClient.authenticated(port, patient);
         LiveClient doc = LiveClient.authenticated(port, doctor)) {
      lina.send(subscribe("mine", "session").put("sessionId", sessionId));
      assertThat(lina.next("session").getJsonObject("session").getString("status")).isEqualTo("scheduled");
      doc.send(subscribe("room", "waiting-room").put("practitionerId", clinic.practitionerId));
      assertThat(doc.next("waiting_room").getJsonObject("waitingRoom").getJsonArray("items")).isEmpty();

      expect(api.post(VirtualVisits.session(booked) + "/check-in", patient, from("home")), 200);

      JsonObject waiting = lina.next("session");
      assertThat(waiting.getString("id")).isEqualTo("mine");
      assertThat(waiting.getJsonObject("session").getString("status")).isEqualTo("waiting");
      JsonObject room = doc.next("waiting_room").getJsonObject("waitingRoom");
      assertThat(room.getJsonArray("items").getJsonObject(0).getString("sessionId")).isEqualTo(sessionId);
    }
    // Each push was a read of PHI, recorded as the REST read would be.
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_session.read")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_session.waiting_room")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aSubscriptionIsRefusedExactlyAsRestWouldRefuseTheRead() {
    Clinic elsewhere = Clinic.in("us");
    String otherPatientId = clinic.patient("Other", "Otto").getString("id");
    String otherPatient = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(otherPatientId)));
    try (LiveClient stranger = LiveClient.authenticated(port, elsewhere.token(elsewhere.doctor));
         LiveClient otto = LiveClient.authenticated(port, otherPatient);
         LiveClient desk = LiveClient.authenticated(port, clinic.token(clinic.desk))) {
      stranger.send(subscribe("s", "session").put("sessionId", sessionId));
      assertThat(stranger.next("error").getInteger("status")).isEqualTo(404);
      expect(api.get(VirtualVisits.session(booked), elsewhere.token(elsewhere.doctor)), 404);
      stranger.send(subscribe("c", "chat").put("sessionId", sessionId));
      assertThat(stranger.next("error").getInteger("status")).isEqualTo(404);

      otto.send(subscribe("s", "session").put("sessionId", sessionId));
      assertThat(otto.next("error").getInteger("status")).isEqualTo(404);
      otto.send(subscribe("w", "waiting-room"));
      assertThat(otto.next("error").getInteger("status")).isEqualTo(403);

      desk.send(subscribe("c", "chat").put("sessionId", sessionId));
      JsonObject refused = desk.next("error");
      assertThat(refused.getInteger("status")).isEqualTo(403);
      assertThat(refused.getString("ref")).isEqualTo("c");
      desk.send(subscribe("w", "waiting-room"));
      assertThat(desk.next("waiting_room").getString("id")).isEqualTo("w");
      // A refused subscription holds nothing: the id is free again.
      desk.send(new JsonObject().put("type", "unsubscribe").put("id", "c"));
      assertThat(desk.next("error").getInteger("status")).isEqualTo(404);
    }
  }

  @Test
  void aChatSendIsAckedAfterItCommittedAndReachesTheOtherSide() {
    try (LiveClient lina = LiveClient.authenticated(port, patient);
         LiveClient doc = LiveClient.authenticated(port, doctor)) {
      doc.send(subscribe("chat", "chat").put("sessionId", sessionId));
      assertThat(doc.next("snapshot").getJsonArray("messages")).isEmpty();

      lina.send(send("c-1", "Can you hear me?"));
      JsonObject ack = lina.next("ack");
      assertThat(ack.getString("clientId")).isEqualTo("c-1");
      // Acked means committed: any node reads it at once.
      JsonObject stored = expect(api.get(VirtualVisits.session(booked) + "/messages/" + ack.getString("id"), doctor),
          200).json();
      assertThat(stored.getString("body")).isEqualTo("Can you hear me?");

      JsonObject chat = doc.next("chat");
      assertThat(chat.getJsonArray("messages").getJsonObject(0).getString("id")).isEqualTo(ack.getString("id"));
      assertThat(chat.getJsonArray("messages").getJsonObject(0).getString("senderRole")).isEqualTo("patient");

      lina.send(send("c-1", "Can you hear me?"));
      assertThat(lina.next("ack").getString("id")).isEqualTo(ack.getString("id"));
      lina.send(send("c-2", "a\u0000b"));
      assertThat(lina.next("error").getInteger("status")).isEqualTo(400);
      lina.send(send("c-3", "Hi").put("sessionId", UUID.randomUUID().toString()));
      JsonObject unknown = lina.next("error");
      assertThat(unknown.getInteger("status")).isEqualTo(404);
      assertThat(unknown.getString("ref")).isEqualTo("c-3");
    }
    assertThat(expect(api.get(VirtualVisits.session(booked) + "/messages", doctor), 200).items()).hasSize(1);
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_message.send")).isNotEmpty();
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_message.read")).isNotEmpty();
  }

  @Test
  void sendsBeyondTheRateGetTooManyRequestsFrames() {
    try (LiveClient lina = LiveClient.authenticated(port, patient)) {
      for (int i = 0; i < 30; i++) {
        lina.send(send("burst-" + i, "message " + i));
      }
      JsonObject limited = lina.next(f -> "error".equals(f.getString("type")) && f.getInteger("status") == 429,
          LiveClient.PATIENCE);
      assertThat(limited.getString("code")).isEqualTo("urn:caduceus:problem:too-many-requests");
    }
  }

  @Test
  void aSocketWhoseSessionEndsIsClosedOnTheNextPush() {
    String own = platform.login(patientUser).json().getString("accessToken");
    try (LiveClient lina = LiveClient.authenticated(port, own)) {
      lina.send(subscribe("mine", "session").put("sessionId", sessionId));
      lina.next("session");
      Await.until(() -> api.post("/v1/auth/logout", own, new JsonObject()).status(), s -> s == 204,
          Duration.ofSeconds(30));
      expect(api.post(VirtualVisits.session(booked) + "/check-in", patient, from("home")), 200);
      JsonObject error = lina.next("error");
      assertThat(error.getInteger("status")).isEqualTo(401);
      assertThat(lina.closeCode()).isEqualTo(LiveClose.UNAUTHORIZED);
    }
  }

  @Test
  void aSuspendedTenantsSocketsAreClosedWith4403AtTheNextPush() {
    try (LiveClient doc = LiveClient.authenticated(port, doctor)) {
      doc.send(subscribe("room", "waiting-room"));
      doc.next("waiting_room");
      String owner = platform.token(platform.platformOwner());
      expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/suspend", owner, null), 200);
      // Nothing can change in a suspended tenant over REST: a NOTIFY sent on a plain connection stands for a change.
      Sql.query(platform.superuser("us"), "SELECT pg_notify(?, ?)", LiveChanges.CHANNEL, new LiveChange(
          clinic.tenant.id().value(), LiveChange.SESSION, UUID.fromString(sessionId),
          UUID.fromString(clinic.practitionerId)).encode());
      JsonObject error = doc.next("error");
      assertThat(error.getInteger("status")).isEqualTo(403);
      assertThat(doc.closeCode()).isEqualTo(LiveClose.FORBIDDEN);
    }
  }

  @Test
  void aDatabaseTierTenantsChangesAreHeardInItsOwnDatabase() {
    Clinic own = Clinic.in("us", IsolationTier.DATABASE);
    VirtualVisits visits = new VirtualVisits(own);
    visits.turnOn();
    String pid = own.patient("Own", "Oda").getString("id");
    String oda = platform.token(visits.patientAccount(pid));
    JsonObject visit = expect(visits.book(pid, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    // The node's listener finds the new tenant database within its watch period.
    Await.until(() -> Sql.query(platform.superuser(own.tenant), "SELECT 1 FROM pg_stat_activity WHERE"
        + " application_name = ? AND datname = current_database()", LiveListener.APPLICATION_NAME).size(),
        n -> n > 0, Duration.ofSeconds(60));
    try (LiveClient doc = LiveClient.authenticated(port, own.token(own.doctor))) {
      doc.send(subscribe("room", "waiting-room").put("practitionerId", own.practitionerId));
      doc.next("waiting_room");
      expect(api.post(VirtualVisits.session(visit) + "/check-in", oda, from("home")), 200);
      JsonObject room = doc.next("waiting_room").getJsonObject("waitingRoom");
      assertThat(room.getJsonArray("items").getJsonObject(0).getString("sessionId"))
          .isEqualTo(visit.getString("sessionId"));
    }
  }

  static JsonObject subscribe(String id, String topic) {
    return new JsonObject().put("type", "subscribe").put("id", id).put("topic", topic);
  }

  private JsonObject send(String clientId, String body) {
    return new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", clientId)
        .put("body", body);
  }
}
