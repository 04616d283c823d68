package io.caduceus.api.telehealth.video;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio Video's Rooms API on 127.0.0.1 for one API key: creates rooms ({@code POST /v1/Rooms}, answering 400/53113
 * "Room exists" while a room of that unique name is in progress), fetches one by sid or unique name, and completes
 * one ({@code POST /v1/Rooms/{sid}} with {@code Status=completed}), and disconnects a connected participant
 * ({@code POST /v1/Rooms/{sid}/Participants/{identity}} with {@code Status=disconnected}). It can fail or stall the
 * next calls.
 */
final class FakeTwilioVideo {

  /** A room as the fake holds it. */
  record Room(String sid, String uniqueName, String type, int maxParticipants, String statusCallback,
              String statusCallbackMethod, String status) {
  }

  private static final Pattern ROOM = Pattern.compile("/v1/Rooms/([^/]+)");
  private static final Pattern PARTICIPANT = Pattern.compile("/v1/Rooms/([^/]+)/Participants/([^/]+)");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String accountSid;
  private final String apiKeySid;
  private final String apiKeySecret;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  /** The connected participants: "room sid/identity". */
  private final Set<String> connected = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();
  private volatile int failStatus;
  private HttpServer server;

  private FakeTwilioVideo(String accountSid, String apiKeySid, String apiKeySecret) {
    this.accountSid = accountSid;
    this.apiKeySid = apiKeySid;
    this.apiKeySecret = apiKeySecret;
  }

  /** Starts a fake for the account's API key on a free port of 127.0.0.1. */
  static Future<FakeTwilioVideo> start(Vertx vertx, String accountSid, String apiKeySid, String apiKeySecret) {
    FakeTwilioVideo fake = new FakeTwilioVideo(accountSid, apiKeySid, apiKeySecret);
    return vertx.createHttpServer().requestHandler(fake::handle).listen(0, "127.0.0.1").map(server -> {
      fake.server = server;
      return fake;
    });
  }

  /** The base URL the SDK's hosts are rebased onto. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The room of this sid, or null. */
  Room room(String sid) {
    return rooms.get(sid);
  }

  /** Ends a room as Twilio does on its own (empty or unused for too long), telling nobody. */
  void endQuietly(String sid) {
    rooms.computeIfPresent(sid, (key, room) -> new Room(room.sid(), room.uniqueName(), room.type(),
        room.maxParticipants(), room.statusCallback(), room.statusCallbackMethod(), "completed"));
  }

  /** Connects {@code identity} to the room, as a client with a token would. */
  void join(String roomSid, String identity) {
    connected.add(roomSid + "/" + identity);
  }

  /** Whether {@code identity} is connected to the room. */
  boolean inRoom(String roomSid, String identity) {
    return connected.contains(roomSid + "/" + identity);
  }

  /** The calls received, as "METHOD path". */
  List<String> calls() {
    return List.copyOf(calls);
  }

  /** Answers the next {@code n} calls with {@code status} and a Twilio error body. */
  void failNext(int n, int status) {
    failStatus = status;
    failures.set(n);
  }

  /** Never answers the next {@code n} calls. */
  void stallNext(int n) {
    stalls.set(n);
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.setExpectMultipart(request.method() == HttpMethod.POST);
    request.end().onSuccess(v -> {
      calls.add(request.method() + " " + request.path());
      if (stalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return;
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(request, failStatus, failStatus == 429 ? 20429 : 20500, "Injected failure");
      } else if (!authorized(request)) {
        error(request, 401, 20003, "Authenticate");
      } else if ("/v1/Rooms".equals(request.path()) && request.method() == HttpMethod.POST) {
        create(request, request.formAttributes());
      } else if (PARTICIPANT.matcher(request.path()).matches()) {
        participant(request, PARTICIPANT.matcher(request.path()));
      } else {
        Matcher one = ROOM.matcher(request.path());
        Room room = one.matches() ? find(one.group(1)) : null;
        if (room == null) {
          error(request, 404, 20404, "The requested resource was not found");
        } else if (request.method() == HttpMethod.GET) {
          reply(request, 200, json(room));
        } else if (!"in-progress".equals(room.status())) {
          error(request, 400, 53112, "Status is invalid");
        } else if ("completed".equals(request.formAttributes().get("Status"))) {
          endQuietly(room.sid());
          reply(request, 200, json(rooms.get(room.sid())));
        } else {
          error(request, 400, 53105, "Invalid room status");
        }
      }
    });
  }

  /** Sets a participant's status: only {@code disconnected}, of one connected (else 404/20404, as Twilio). */
  private void participant(HttpServerRequest request, Matcher path) {
    path.matches();
    // The SDK escapes the identity in the path (guest%3A...); Twilio reads it unescaped.
    String identity = URLDecoder.decode(path.group(2), StandardCharsets.UTF_8);
    String member = path.group(1) + "/" + identity;
    if (request.method() != HttpMethod.POST || !connected.contains(member)) {
      error(request, 404, 20404, "The requested resource was not found");
    } else if (!"disconnected".equals(request.formAttributes().get("Status"))) {
      error(request, 400, 53205, "Invalid participant status");
    } else {
      connected.remove(member);
      String now = Instant.now().toString();
      reply(request, 200, new JsonObject().put("sid", "PA" + Integer.toHexString(member.hashCode()))
          .put("room_sid", path.group(1)).put("account_sid", accountSid).put("identity", identity)
          .put("status", "disconnected").put("date_created", now).put("date_updated", now).put("start_time", now)
          .put("end_time", now).put("duration", 1)
          .put("url", "https://video.twilio.com/v1/Rooms/" + path.group(1) + "/Participants/" + path.group(2)));
    }
  }

  private Room find(String sidOrName) {
    Room bySid = rooms.get(sidOrName);
    if (bySid != null) {
      return bySid;
    }
    return rooms.values().stream().filter(r -> r.uniqueName().equals(sidOrName) && "in-progress".equals(r.status()))
        .findFirst().orElse(null);
  }

  private void create(HttpServerRequest request, MultiMap form) {
    String name = form.get("UniqueName");
    if (name != null && rooms.values().stream().anyMatch(r -> name.equals(r.uniqueName())
        && "in-progress".equals(r.status()))) {
      error(request, 400, 53113, "Room exists");
      return;
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String sid = "RM" + HexFormat.of().formatHex(bytes);
    Room room = new Room(sid, name == null ? sid : name, form.get("Type"),
        form.get("MaxParticipants") == null ? 50 : Integer.parseInt(form.get("MaxParticipants")),
        form.get("StatusCallback"), form.get("StatusCallbackMethod"), "in-progress");
    rooms.put(sid, room);
    reply(request, 201, json(room));
  }

  private boolean authorized(HttpServerRequest request) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString((apiKeySid + ":" + apiKeySecret).getBytes(StandardCharsets.UTF_8));
    return expected.equals(request.getHeader("Authorization"));
  }

  private JsonObject json(Room room) {
    String now = Instant.now().toString();
    return new JsonObject().put("sid", room.sid()).put("account_sid", accountSid).put("status", room.status())
        .put("unique_name", room.uniqueName()).put("type", room.type()).put("max_participants", room.maxParticipants())
        .put("status_callback", room.statusCallback()).put("status_callback_method", room.statusCallbackMethod())
        .put("date_created", now).put("date_updated", now)
        .put("url", "https://video.twilio.com/v1/Rooms/" + room.sid());
  }

  private static void error(HttpServerRequest request, int status, int code, String message) {
    reply(request, status, new JsonObject().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status));
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    if (!request.response().closed()) {
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
