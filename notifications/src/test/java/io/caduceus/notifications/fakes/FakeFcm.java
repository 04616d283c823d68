package io.caduceus.notifications.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FCM HTTP v1 on 127.0.0.1 for tests: answers {@code POST /v1/projects/{project}/messages:send} as FCM does, keeps a
 * ledger of every send it accepted, and fails, delays or holds sends on request. It also answers Google's OAuth token
 * call, which the SDK makes only with service-account credentials.
 */
public final class FakeFcm extends FakeProvider<FakeFcm.Sent> {

  /** One send FCM accepted, as FCM saw it. */
  public record Sent(String project, String token, String title, String body, Map<String, String> data,
                     String collapseKey, String tag, String apnsCollapseId, String name, String authorization,
                     Instant receivedAt) {
  }

  private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");

  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private final AtomicInteger tokenCalls = new AtomicInteger();

  private FakeFcm(Vertx vertx) {
    super(vertx);
  }

  /** Starts a fake on a free port of 127.0.0.1. */
  public static Future<FakeFcm> start(Vertx vertx) {
    return listen(new FakeFcm(vertx));
  }

  /** How many OAuth token calls the fake answered. */
  public int tokenCalls() {
    return tokenCalls.get();
  }

  /** Refuses the next {@code n} sends with {@code status} (5xx, 429) and a Google error body. */
  public void failNext(int n, int status) {
    faults.failNext(n, status, null);
  }

  /** Answers every send to {@code token} with FCM's 404 UNREGISTERED, as for an uninstalled app. */
  public void unregistered(String token) {
    unregistered.add(token);
  }

  @Override
  void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Matcher send = SEND.matcher(request.path());
      if (request.method() == HttpMethod.POST && send.matches()) {
        String project = send.group(1);
        planned(fail -> json(request, fail.status(), error(fail.status(), status(fail.status()),
            fcmCode(fail.status()))), hold -> accept(request, project, body, hold));
      } else if (request.method() == HttpMethod.POST && request.path().equals("/token")) {
        tokenCalls.incrementAndGet();
        json(request, 200, new JsonObject().put("access_token", "fake-access-token").put("expires_in", 3600)
            .put("token_type", "Bearer"));
      } else {
        json(request, 404, error(404, "NOT_FOUND", null));
      }
    });
  }

  private void accept(HttpServerRequest request, String project, Buffer body, Hold hold) {
    JsonObject message = body.toJsonObject().getJsonObject("message", new JsonObject());
    String token = message.getString("token");
    if (token != null && unregistered.contains(token)) {
      json(request, 404, error(404, "NOT_FOUND", "UNREGISTERED"));
      return;
    }
    String name = "projects/" + project + "/messages/" + ids.incrementAndGet();
    JsonObject answer = new JsonObject().put("name", name);
    record(sent(project, message, name, request.getHeader("Authorization")), hold, () -> json(request, 200, answer));
  }

  private static Sent sent(String project, JsonObject message, String name, String authorization) {
    JsonObject notification = message.getJsonObject("notification", new JsonObject());
    JsonObject android = message.getJsonObject("android", new JsonObject());
    JsonObject apnsHeaders = message.getJsonObject("apns", new JsonObject()).getJsonObject("headers", new JsonObject());
    Map<String, String> data = new TreeMap<>();
    message.getJsonObject("data", new JsonObject()).forEach(e -> data.put(e.getKey(), String.valueOf(e.getValue())));
    return new Sent(project, message.getString("token"), notification.getString("title"),
        notification.getString("body"), Map.copyOf(data), android.getString("collapse_key"),
        android.getJsonObject("notification", new JsonObject()).getString("tag"),
        apnsHeaders.getString("apns-collapse-id"), name, authorization, Instant.now());
  }

  private static JsonObject error(int code, String status, String fcmErrorCode) {
    JsonObject error = new JsonObject().put("code", code).put("message", message(status)).put("status", status);
    if (fcmErrorCode != null) {
      error.put("details", new JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError").put("errorCode", fcmErrorCode)));
    }
    return new JsonObject().put("error", error);
  }

  private static String message(String status) {
    return switch (status) {
      case "NOT_FOUND" -> "Requested entity was not found.";
      case "UNAVAILABLE" -> "The service is currently unavailable.";
      case "RESOURCE_EXHAUSTED" -> "Quota exceeded for quota metric 'Send requests'.";
      case "INTERNAL" -> "Internal error encountered.";
      default -> "Request failed: " + status;
    };
  }

  private static String status(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> "INTERNAL";
    };
  }

  private static String fcmCode(int httpStatus) {
    return switch (httpStatus) {
      case 429 -> "QUOTA_EXCEEDED";
      case 503 -> "UNAVAILABLE";
      case 500 -> "INTERNAL";
      case 401 -> "THIRD_PARTY_AUTH_ERROR";
      default -> null;
    };
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    if (!request.response().closed()) {
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=UTF-8")
          .end(body.encode());
    }
  }
}
