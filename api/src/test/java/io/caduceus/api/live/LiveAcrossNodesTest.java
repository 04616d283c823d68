package io.caduceus.api.live;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.caduceus.api.live.LiveSubscriptionTest.subscribe;
import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one region database: a change committed through one reaches sockets on the other (LISTEN/NOTIFY);
 * a listener that lost its connection pushes fresh state once it listens again; the clients of a stopped node
 * reconnect to the other and see the current state.
 */
class LiveAcrossNodesTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static Application second;
  private final Api api = platform.api();
  private final int first = platform.app().port();
  private Clinic clinic;
  private TestUser patientUser;
  private String patient;
  private String doctor;
  private JsonObject booked;
  private String sessionId;

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

  @BeforeEach
  void aVirtualVisit() {
    clinic = Clinic.in("us");
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.turnOn();
    String patientId = clinic.patient("Node", "Nora").getString("id");
    patientUser = visits.patientAccount(patientId);
    patient = platform.token(patientUser);
    doctor = clinic.token(clinic.doctor);
    booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    sessionId = booked.getString("sessionId");
  }

  @Test
  void aCheckInThroughOneNodeReachesTheWaitingRoomOnTheOther() {
    try (LiveClient doc = LiveClient.authenticated(second.port(), doctor);
         LiveClient nora = LiveClient.authenticated(first, patient)) {
      doc.send(subscribe("room", "waiting-room").put("practitionerId", clinic.practitionerId));
      doc.next("waiting_room");
      nora.send(subscribe("chat", "chat").put("sessionId", sessionId));
      nora.next("snapshot");

      long committed = System.nanoTime();
      expect(api.post(VirtualVisits.session(booked) + "/check-in", patient, from("home")), 200);
      JsonObject room = doc.next("waiting_room").getJsonObject("waitingRoom");
      long arrivedMs = (System.nanoTime() - committed) / 1_000_000;
      assertThat(room.getJsonArray("items").getJsonObject(0).getString("sessionId")).isEqualTo(sessionId);
      System.out.println("check-in on node 1 to the waiting room on node 2: " + arrivedMs + " ms (incl. the POST)");

      doc.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", "hello")
          .put("body", "I will admit you in a minute"));
      String id = doc.next("ack").getString("id");
      assertThat(nora.next("chat").getJsonArray("messages").getJsonObject(0).getString("id")).isEqualTo(id);
    }
  }

  @Test
  void aListenerThatLostItsConnectionPushesTheCurrentStateOnceBack() {
    try (LiveClient nora = LiveClient.authenticated(second.port(), patient)) {
      nora.send(subscribe("mine", "session").put("sessionId", sessionId));
      assertThat(nora.next("session").getJsonObject("session").getString("status")).isEqualTo("scheduled");
      // A change no NOTIFY announces (as if committed while the listeners were away)...
      Sql.update(platform.superuser("us"), "UPDATE telehealth_session SET status = 'waiting', checked_in_at = now(),"
          + " patient_location = 'home', version = version + 1 WHERE tenant_id = ? AND id = ?::uuid",
          clinic.tenant.id().value(), sessionId);
      // ...then every listening connection of the region is cut.
      Await.until(() -> Sql.query(platform.superuser("us"), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE application_name = ? AND datname = current_database()", LiveListener.APPLICATION_NAME).size(),
          n -> n > 0, Duration.ofSeconds(30));
      JsonObject fresh = nora.next(f -> "session".equals(f.getString("type"))
          && "waiting".equals(f.getJsonObject("session").getString("status")), LiveClient.PATIENCE);
      assertThat(fresh.getString("id")).isEqualTo("mine");
    }
    String metrics = new Api(second.port()).get("/metrics", TestPlatform.METRICS_TOKEN).body();
    assertThat(metrics.lines().filter(l -> l.startsWith("caduceus_live_listener_reconnects_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("caduceus_live_sockets");
  }

  @Test
  void theClientsOfAStoppedNodeReconnectToTheOtherAndSeeTheCurrentState() {
    Application doomed = platform.sibling(Map.of());
    LiveClient nora = LiveClient.authenticated(doomed.port(), patient);
    nora.send(subscribe("mine", "session").put("sessionId", sessionId));
    nora.next("session");
    nora.send(new JsonObject().put("type", "send").put("sessionId", sessionId).put("clientId", "before-stop")
        .put("body", "Still there?"));
    String acked = nora.next("ack").getString("id");
    await(doomed.stop());
    assertThat(nora.closeCode()).isEqualTo(LiveClose.GOING_AWAY);
    nora.close();
    expect(api.post(VirtualVisits.session(booked) + "/check-in", patient, from("home")), 200);
    try (LiveClient again = LiveClient.authenticated(first, patient)) {
      again.send(subscribe("mine", "session").put("sessionId", sessionId));
      assertThat(again.next("session").getJsonObject("session").getString("status")).isEqualTo("waiting");
      again.send(subscribe("chat", "chat").put("sessionId", sessionId));
      assertThat(again.next("snapshot").getJsonArray("messages").getJsonObject(0).getString("id")).isEqualTo(acked);
    }
  }
}
