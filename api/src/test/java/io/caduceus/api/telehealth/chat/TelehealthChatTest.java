package io.caduceus.api.telehealth.chat;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The in-visit chat over REST: who may write and read it, dedupe by clientId, and reading it after the visit. */
class TelehealthChatTest extends ClinicFixture {

  private String patientId;
  private TestUser patientUser;
  private String patient;
  private String doctor;
  private JsonObject booked;
  private String messages;

  @BeforeEach
  void aVirtualVisit() {
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.turnOn();
    patientId = clinic.patient("Chat", "Cleo").getString("id");
    patientUser = visits.patientAccount(patientId);
    patient = platform.token(patientUser);
    doctor = clinic.token(clinic.doctor);
    booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
    messages = VirtualVisits.session(booked) + "/messages";
  }

  @Test
  void thePatientAndTheClinicianChatAndEachMessageIsReadableAtItsLocation() {
    Api.Response sent = expect(api.post(messages, patient, message("m-1", "Hello doctor")), 201);
    JsonObject first = sent.json();
    assertThat(first.getString("senderRole")).isEqualTo("patient");
    assertThat(expect(api.get(sent.header("Location"), doctor), 200).json().getString("body"))
        .isEqualTo("Hello doctor");
    JsonObject reply = expect(api.post(messages, doctor, message("d-1", "Hello Cleo")), 201).json();
    assertThat(reply.getString("senderRole")).isEqualTo("clinician");
    var items = expect(api.get(messages, patient), 200).items();
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getString("id")).isEqualTo(first.getString("id"));
    assertThat(items.getJsonObject(1).getString("id")).isEqualTo(reply.getString("id"));
    var page = expect(api.get(messages + "?limit=1", doctor), 200).json();
    assertThat(page.getJsonArray("items")).hasSize(1);
    var next = expect(api.get(messages + "?limit=1&cursor=" + page.getString("nextCursor"), doctor), 200).json();
    assertThat(next.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(reply.getString("id"));
    assertThat(AuditRows.of(platform, clinic.tenant, "telehealth_message.send"))
        .contains(AuditRows.row("telehealth_message", first.getString("id"), java.util.List.of(patientId), "success",
            null));
  }

  @Test
  void aResentMessageIsStoredOnceAndAnIdempotencyKeyReplays() {
    JsonObject first = expect(api.post(messages, patient, message("same", "Once")), 201).json();
    JsonObject again = expect(api.post(messages, patient, message("same", "Once")), 201).json();
    assertThat(again.getString("id")).isEqualTo(first.getString("id"));
    Api.Response keyed = api.post(messages, doctor, message("k", "Keyed"), Map.of("Idempotency-Key", "chat-k-1"));
    Api.Response replay = api.post(messages, doctor, message("k", "Keyed"), Map.of("Idempotency-Key", "chat-k-1"));
    assertThat(replay.json().getString("id")).isEqualTo(keyed.json().getString("id"));
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(expect(api.get(messages, doctor), 200).items()).hasSize(2);
  }

  @Test
  void aReceptionistNeitherReadsNorWritesTheChat() {
    String desk = clinic.token(clinic.desk);
    expect(api.post(messages, patient, message("p", "Private")), 201);
    expect(api.get(messages, desk), 403);
    expect(api.post(messages, desk, message("x", "Hi")), 403);
  }

  @Test
  void anotherPatientAndAnotherTenantSeeNothing() {
    expect(api.post(messages, patient, message("p", "Private")), 201);
    String otherPatientId = clinic.patient("Other", "Olga").getString("id");
    String other = platform.token(platform.patientAccount(clinic.tenant, java.util.UUID.fromString(otherPatientId)));
    expect(api.get(messages, other), 404);
    expect(api.post(messages, other, message("o", "Hi")), 404);
    Clinic elsewhere = Clinic.in("us");
    expect(api.get(messages, elsewhere.token(elsewhere.doctor)), 404);
    expect(api.post(messages, elsewhere.token(elsewhere.doctor), message("e", "Hi")), 404);
  }

  @Test
  void afterTheVisitTheChatIsClosedForWritingAndStaysReadable() {
    String s = VirtualVisits.session(booked);
    expect(api.post(messages, patient, message("p", "Before")), 201);
    expect(api.post(s + "/check-in", patient, from("home")), 200);
    expect(api.post(s + "/admit", doctor, null), 200);
    JsonObject ended = expect(api.post(s + "/end", doctor, null), 200).json();
    expect(api.post(messages, patient, message("late", "After")), 409);
    // The encounter of the visit names the session whose chat is part of its record.
    JsonObject encounter = expect(api.get("/v1/encounters/" + ended.getString("encounterId"), doctor), 200).json();
    assertThat(encounter.getString("telehealthSessionId")).isEqualTo(booked.getString("sessionId"));
    assertThat(expect(api.get(messages, doctor), 200).items()).hasSize(1);
    assertThat(expect(api.get(messages, patient), 200).items().getJsonObject(0).getString("body"))
        .isEqualTo("Before");
  }

  @Test
  void aMessageThatCannotBeStoredIsRefused() {
    expect(api.post(messages, patient, message("nul", "a\u0000b")), 400);
    expect(api.post(messages, patient, message("bad id!", "fine")), 400);
    expect(api.post(messages, patient, new JsonObject().put("clientId", "x")), 400);
  }

  private static JsonObject message(String clientId, String body) {
    return new JsonObject().put("clientId", clientId).put("body", body);
  }
}
