package io.caduceus.api.live;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.live.LiveSubscriptionTest.subscribe;
import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's proof, end to end over HTTP and real WebSockets with two nodes on one region database: the patient on
 * node 2, the clinician on node 1. Check-in reaches the clinician's waiting room live; admission reaches the patient;
 * both get video tokens; they chat; the visit ends in a telehealth encounter whose charge says so. Another tenant's
 * clinician and another patient see nothing of it (REST and socket); the front desk sees the waiting room, not the
 * chat.
 */
class VirtualVisitLiveJourneyTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static Application second;

  @BeforeAll
  static void aSecondNode() {
    second = platform.sibling(Map.of());
  }

  @AfterAll
  static void stopIt() {
    if (second != null) {
      await(second.stop());
    }
  }

  @Test
  void aVirtualVisitRunsLiveAcrossTwoNodes() {
    Api one = platform.api();
    Api two = new Api(second.port());
    Clinic clinic = Clinic.in("us");
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.turnOn();
    String patientId = clinic.patient("Journey", "Jade").getString("id");
    String jade = platform.token(visits.patientAccount(patientId));
    String doctor = clinic.token(clinic.doctor);
    String desk = clinic.token(clinic.desk);
    JsonObject booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    String sessionId = booked.getString("sessionId");
    String s = VirtualVisits.session(booked);
    Clinic elsewhere = Clinic.in("us");
    String otherPatient = platform.token(platform.patientAccount(clinic.tenant,
        UUID.fromString(clinic.patient("Other", "Omar").getString("id"))));

    try (LiveClient patient = LiveClient.authenticated(second.port(), jade);
         LiveClient clinician = LiveClient.authenticated(platform.app().port(), doctor);
         LiveClient frontDesk = LiveClient.authenticated(second.port(), desk);
         LiveClient stranger = LiveClient.authenticated(second.port(), elsewhere.token(elsewhere.doctor));
         LiveClient omar = LiveClient.authenticated(platform.app().port(), otherPatient)) {
      patient.send(subscribe("visit", "session").put("sessionId", sessionId));
      patient.next("session");
      patient.send(subscribe("chat", "chat").put("sessionId", sessionId));
      patient.next("snapshot");
      clinician.send(subscribe("room", "waiting-room").put("practitionerId", clinic.practitionerId));
      clinician.next("waiting_room");
      clinician.send(subscribe("chat", "chat").put("sessionId", sessionId));
      clinician.next("snapshot");
      frontDesk.send(subscribe("tenant-room", "waiting-room"));
      frontDesk.next("waiting_room");

      // Nobody else may watch any of it, exactly as over REST.
      stranger.send(subscribe("peek", "session").put("sessionId", sessionId));
      assertThat(stranger.next("error").getInteger("status")).isEqualTo(404);
      expect(two.get(s, elsewhere.token(elsewhere.doctor)), 404);
      omar.send(subscribe("peek", "chat").put("sessionId", sessionId));
      assertThat(omar.next("error").getInteger("status")).isEqualTo(404);
      expect(one.get(s + "/messages", otherPatient), 404);
      frontDesk.send(subscribe("peek", "chat").put("sessionId", sessionId));
      assertThat(frontDesk.next("error").getInteger("status")).isEqualTo(403);
      expect(two.get(s + "/messages", desk), 403);

      // The patient checks in through node 2; the clinician on node 1 sees her arrive.
      long checkIn = System.nanoTime();
      expect(two.post(s + "/check-in", jade, from("home")), 200);
      JsonObject room = clinician.next("waiting_room").getJsonObject("waitingRoom");
      System.out.println("check-in (node 2) to the clinician's waiting room (node 1): "
          + (System.nanoTime() - checkIn) / 1_000_000 + " ms, the POST included");
      assertThat(room.getJsonArray("items").getJsonObject(0).getString("sessionId")).isEqualTo(sessionId);
      assertThat(frontDesk.next("waiting_room").getJsonObject("waitingRoom").getJsonArray("items")).hasSize(1);
      assertThat(patient.next("session").getJsonObject("session").getString("status")).isEqualTo("waiting");

      // The clinician admits her through node 1; her app on node 2 sees it; both get video tokens.
      expect(one.post(s + "/admit", doctor, null), 200);
      assertThat(patient.next(f -> "session".equals(f.getString("type"))
          && "in_progress".equals(f.getJsonObject("session").getString("status")), LiveClient.PATIENCE)).isNotNull();
      assertThat(expect(two.post(s + "/video-token", jade, null), 200).json().getString("room"))
          .isEqualTo("visit-" + sessionId);
      expect(one.post(s + "/video-token", doctor, null), 200);

      // They chat over their sockets; each message is acked once committed and reaches the other node.
      patient.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", "j-1")
          .put("body", "Hello, can you see the rash?"));
      String fromPatient = patient.next("ack").getString("id");
      assertThat(clinician.next("chat").getJsonArray("messages").getJsonObject(0).getString("id"))
          .isEqualTo(fromPatient);
      clinician.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", "d-1")
          .put("body", "Yes. Keep it dry."));
      String fromDoctor = clinician.next("ack").getString("id");
      // Her own message comes back on her chat subscription too, with his or before it.
      assertThat(patient.next(f -> "chat".equals(f.getString("type")) && f.getJsonArray("messages").stream()
          .anyMatch(m -> fromDoctor.equals(((JsonObject) m).getString("id"))), LiveClient.PATIENCE)).isNotNull();

      // The end: a telehealth encounter naming the session, whose chat stays readable; its charge says telehealth.
      JsonObject ended = expect(one.post(s + "/end", doctor, null), 200).json();
      assertThat(patient.next(f -> "session".equals(f.getString("type"))
          && "ended".equals(f.getJsonObject("session").getString("status")), LiveClient.PATIENCE)).isNotNull();
      String encounter = "/v1/encounters/" + ended.getString("encounterId");
      JsonObject record = expect(one.get(encounter, doctor), 200).json();
      assertThat(record.getString("modality")).isEqualTo("virtual");
      assertThat(record.getString("telehealthSessionId")).isEqualTo(sessionId);
      assertThat(expect(two.get(s + "/messages", jade), 200).items()).hasSize(2);
      expect(one.post(encounter + "/procedures", doctor, new JsonObject().put("code", "99213")), 200);
      expect(one.post(encounter + "/diagnoses", doctor, new JsonObject().put("code", "L30.9")), 200);
      expect(one.post(encounter + "/sign", doctor, null), 200);
      String accountant = platform.token(platform.user(clinic.tenant, "accountant"));
      assertThat(one.put("/v1/fees/99213", accountant, new JsonObject().put("amountCents", 12_000)
          .put("currency", "USD")).status()).isIn(200, 201);
      JsonObject charge = expect(one.post(encounter + "/charges", accountant, null), 200).json()
          .getJsonArray("items").getJsonObject(0);
      assertThat(charge.getString("placeOfService")).isEqualTo("10");
      assertThat(charge.getJsonArray("modifiers")).containsExactly("95");
    }
  }
}
