package io.caduceus.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A response not yet sent: status, headers and an optional body, either JSON ({@code body}) or already encoded
 * ({@code encoded}, e.g. a FHIR resource HAPI wrote, sent byte for byte with the Content-Type its headers name).
 * Idempotent POSTs store and replay it; {@code patients} names the patients whose data the body carries, so a replay
 * is audited like the original.
 */
public record Reply(int status, Map<String, String> headers, JsonObject body, List<UUID> patients, Buffer encoded) {

  public Reply {
    headers = Map.copyOf(headers);
    patients = List.copyOf(patients);
    if (body != null && encoded != null) {
      throw new IllegalArgumentException("a reply has one body: JSON or encoded");
    }
    if (encoded != null && !headers.containsKey("Content-Type")) {
      throw new IllegalArgumentException("an encoded body needs its Content-Type");
    }
  }

  public Reply(int status, Map<String, String> headers, JsonObject body, List<UUID> patients) {
    this(status, headers, body, patients, null);
  }

  public Reply(int status, Map<String, String> headers, JsonObject body) {
    this(status, headers, body, List.of());
  }

  /** A reply whose body is encoded already; {@code headers} must name its Content-Type. */
  public static Reply encoded(int status, Map<String, String> headers, Buffer body) {
    return new Reply(status, headers, null, List.of(), body);
  }

  /** This reply, declaring the patients its body is about. */
  public Reply about(UUID... patientIds) {
    return new Reply(status, headers, body, List.of(patientIds), encoded);
  }

  /** This reply's body and patients, with another status and headers. */
  public Reply with(int newStatus, Map<String, String> newHeaders) {
    return new Reply(newStatus, newHeaders, body, patients, encoded);
  }

  /** The body as it is sent (encoded, or the JSON's encoding), or {@code "null"} when there is none. */
  public String bodyText() {
    return encoded != null ? encoded.toString() : body != null ? body.encode() : "null";
  }

  /** The body as JSON, for what must look into it (an encoded body is parsed); null when there is none. */
  public JsonObject bodyJson() {
    return encoded != null ? new JsonObject(encoded) : body;
  }

  /** 200 with a body. */
  public static Reply ok(JsonObject body) {
    return new Reply(200, Map.of(), body);
  }

  /** 200 with a list: {@code {"items": [...]}}. */
  public static Reply items(List<?> items) {
    return ok(new JsonObject().put("items", new JsonArray(items)));
  }

  /** 200 with a body and its ETag. */
  public static Reply ok(JsonObject body, int version) {
    return new Reply(200, Map.of("ETag", ETags.of(version)), body);
  }

  /** 201 with the new resource, its location and its ETag. */
  public static Reply created(String location, JsonObject body, int version) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location);
    headers.put("ETag", ETags.of(version));
    return new Reply(201, headers, body);
  }

  /** 201 with a body and its location. */
  public static Reply created(String location, JsonObject body) {
    return new Reply(201, Map.of("Location", location), body);
  }

  /** 202 with a body: the request was taken and waits on someone else. */
  public static Reply accepted(JsonObject body) {
    return new Reply(202, Map.of(), body);
  }

  /** 202 with a body and where to follow the work it started. */
  public static Reply accepted(JsonObject body, String location) {
    return new Reply(202, Map.of("Location", location), body);
  }

  /** 204. */
  public static Reply noContent() {
    return new Reply(204, Map.of(), null);
  }

  /** The headers as JSON, for storing. */
  public JsonObject headersJson() {
    JsonObject json = new JsonObject();
    headers.forEach(json::put);
    return json;
  }

  /** Rebuilds a stored reply. */
  public static Reply restore(int status, JsonObject headers, JsonObject body, List<UUID> patients) {
    Map<String, String> map = new LinkedHashMap<>();
    headers.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    return new Reply(status, map, body, patients);
  }
}
