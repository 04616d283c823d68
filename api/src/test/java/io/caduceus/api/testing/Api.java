package io.caduceus.api.testing;

import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.demo.DemoPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A blocking HTTP client for black-box tests of the API. It runs on the JUnit thread, never on an event loop,
 * so each test reads top to bottom as a specification.
 */
public final class Api {

  private final HttpClient http;
  private final String base;

  public Api(int port) {
    this(port, HttpClient.Version.HTTP_2);
  }

  /** A client of the given HTTP version (the JDK's default tries HTTP/2 first, through an h2c upgrade). */
  public Api(int port, HttpClient.Version version) {
    this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response, with its body parsed on demand. */
  public record Response(int status, Map<String, List<String>> headers, String body) {

    /** The body as a JSON object. */
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** The {@code items} of a page. */
    public JsonArray items() {
      return json().getJsonArray("items");
    }

    /** A header's first value, or null. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  public Response post(String path, String token, JsonObject body) {
    return send("POST", path, token, body == null ? null : body.encode(), Map.of());
  }

  public Response post(String path, String token, JsonObject body, Map<String, String> headers) {
    return send("POST", path, token, body == null ? null : body.encode(), headers);
  }

  public Response patch(String path, String token, JsonObject body, String ifMatch) {
    return send("PATCH", path, token, body.encode(), ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  public Response put(String path, String token, JsonObject body) {
    return send("PUT", path, token, body.encode(), Map.of());
  }

  public Response delete(String path, String token) {
    return send("DELETE", path, token, null, Map.of());
  }

  /** A GET whose body is kept as bytes (an archive, a file). */
  public byte[] bytes(String path, String token) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200 || !response.headers().firstValue("Content-Type").orElse("")
          .equals("application/zip")) {
        throw new IllegalStateException("download answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response whose body is kept as bytes (compressed, say). */
  public record Raw(int status, Map<String, List<String>> headers, byte[] body) {

    /** A header's first value, or null. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** A GET with the given headers, its body kept as the bytes on the wire. */
  public Raw raw(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Raw(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Signs the user in with the password; the access token, or an AssertionError when the login is refused. A demo
   * user with a second factor (the owner, an admin) answers the MFA challenge with a code of the demo secret: this
   * step's, or the next one's when this step's was spent.
   */
  public String accessToken(String email, String password) {
    JsonObject first = Clinic.expect(post("/v1/auth/login", null, new JsonObject().put("email", email)
        .put("password", password)), 200).json();
    if (!first.getBoolean("mfaRequired", false)) {
      return first.getString("accessToken");
    }
    long step = Totp.step(java.time.Instant.now());
    Response verified = null;
    for (long s = step; s <= step + 1 && (verified == null || verified.status() != 200); s++) {
      verified = post("/v1/auth/mfa/verify", null, new JsonObject().put("mfaTicket", first.getString("mfaTicket"))
          .put("code", new Totp().code(Base32.decode(DemoPlatform.TOTP_SECRET), s)));
    }
    return Clinic.expect(verified, 200).json().getString("accessToken");
  }

  /** Sends any request; a JSON content type is set when there is a body and no explicit one. */
  public Response send(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
