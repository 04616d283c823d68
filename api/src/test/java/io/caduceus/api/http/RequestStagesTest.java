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

  /**
   * Every stage of one read, under its request id. A streamed recording now and then hands over an event whose pooled
   * string field it has not yet resolved (its stage read as null; seen once in a full run on 2 busy cores, for
   * "set_config + query"), so a read whose stages did not all arrive is made again, with a new request id, up to
   * three times: a stage the server never records still fails every attempt.
   */
  @Test
  void aRecordingSeesEveryStageOfAPatientReadUnderItsRequestId() throws Exception {
    Clinic clinic = Clinic.in("us");
    String patient = clinic.patient("Staged", "Reader").getString("id");
    String token = clinic.token(clinic.desk);
    Map<String, String> seen = new ConcurrentHashMap<>();
    try (RecordingStream recording = new RecordingStream()) {
      recording.enable(RequestStage.NAME).withThreshold(Duration.ZERO);
      Map<String, Map<String, String>> byRequest = new ConcurrentHashMap<>();
      Map<String, CompletableFuture<Void>> allSeen = new ConcurrentHashMap<>();
      recording.onEvent(RequestStage.NAME, event -> {
        String requestId = event.getString("requestId");
        CompletableFuture<Void> done = requestId == null ? null : allSeen.get(requestId);
        if (done != null) {
          Map<String, String> stages = byRequest.get(requestId);
          String operation = event.getString("operationId");
          stages.put(String.valueOf(event.getString("stage")), operation == null ? "" : operation);
          if (stages.keySet().containsAll(READ_STAGES)) {
            done.complete(null);
          }
        }
      });
      recording.startAsync();
      for (int attempt = 1; seen.isEmpty(); attempt++) {
        String requestId = "stages-" + UUID.randomUUID();
        byRequest.put(requestId, new ConcurrentHashMap<>());
        allSeen.put(requestId, new CompletableFuture<>());
        expect(api.send("GET", "/v1/patients/" + patient, token, null, Map.of("X-Request-Id", requestId)), 200);
        try {
          allSeen.get(requestId).get(30, TimeUnit.SECONDS);
          seen.putAll(byRequest.get(requestId));
        } catch (TimeoutException e) {
          if (attempt == 3) {
            fail("stages recorded for the read: " + byRequest.get(requestId).keySet());
          }
        }
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
