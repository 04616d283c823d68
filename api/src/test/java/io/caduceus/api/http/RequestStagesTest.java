package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.RequestStage;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class RequestStagesTest {

  /** Every stage a read of one patient passes through, from the router to the audit row and the JSON. */
  private static final Set<String> READ_STAGES = Set.of("request", "root handlers", "token", "validation",
      "tenant resolution", "revocation", "quota", "audit open", "handler", "bulkhead", "connection",
      "set_config + query", "projection", "audit settle", "audit group commit", "json");

  private final Api api = TestPlatform.get().api();

  @Test
  void aRecordingSeesEveryStageOfAPatientReadUnderItsRequestId() throws Exception {
    Clinic clinic = Clinic.in("us");
    String patient = clinic.patient("Staged", "Reader").getString("id");
    String token = clinic.token(clinic.desk);
    String requestId = "stages-" + UUID.randomUUID();
    Map<String, String> seen = new ConcurrentHashMap<>();
    CompletableFuture<Void> allSeen = new CompletableFuture<>();
    try (RecordingStream recording = new RecordingStream()) {
      recording.enable(RequestStage.NAME).withThreshold(Duration.ZERO);
      recording.onEvent(RequestStage.NAME, event -> {
        if (requestId.equals(event.getString("requestId"))) {
          String operation = event.getString("operationId");
          seen.put(event.getString("stage"), operation == null ? "" : operation);
          if (seen.keySet().containsAll(READ_STAGES)) {
            allSeen.complete(null);
          }
        }
      });
      recording.startAsync();
      expect(api.send("GET", "/v1/patients/" + patient, token, null, Map.of("X-Request-Id", requestId)), 200);
      try {
        allSeen.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("stages recorded for the read: " + seen.keySet());
      }
    }
    assertThat(seen).containsEntry("handler", "getPatient").containsEntry("request", "getPatient");
  }

  /** The background loops are timed too, under no request, so bench/StageTable.java can set slow requests by them. */
  @Test
  void aRecordingSeesTheBackgroundRunsUnderNoRequest() throws Exception {
    Set<String> loops = Set.of("audit seal", "revocation sync", "engagement intake", "engagement scheduler",
        "engagement dispatcher");
    Map<String, String> seen = new ConcurrentHashMap<>();
    CompletableFuture<Void> allSeen = new CompletableFuture<>();
    try (RecordingStream recording = new RecordingStream()) {
      recording.enable(RequestStage.NAME).withThreshold(Duration.ZERO);
      recording.onEvent(RequestStage.NAME, event -> {
        if (RequestStage.BACKGROUND.equals(event.getString("operationId"))) {
          String requestId = event.getString("requestId");
          seen.put(event.getString("stage"), requestId == null ? "" : requestId);
          if (seen.keySet().containsAll(loops)) {
            allSeen.complete(null);
          }
        }
      });
      recording.startAsync();
      try {
        allSeen.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("background runs recorded: " + seen.keySet());
      }
    }
    assertThat(seen).containsEntry("audit seal", "");
  }
}
