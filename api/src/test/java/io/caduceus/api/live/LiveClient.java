package io.caduceus.api.live;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.caduceus.routing.testing.Await.await;

/** A real WebSocket client of a node's {@code /v1/live}, collecting what the server sends. */
public final class LiveClient implements AutoCloseable {

  static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Vertx VERTX = Vertx.vertx();

  private final WebSocket ws;
  private final WebSocketClient client;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private LiveClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  /** Opens a socket on the node at {@code port} with the given request headers. */
  public static LiveClient open(int port, Map<String, String> headers) {
    return open(port, "/v1/live", headers);
  }

  /** Opens a socket at {@code uri} (the live path, with a query) on the node or router at {@code port}. */
  public static LiveClient open(int port, String uri, Map<String, String> headers) {
    WebSocketClient client = VERTX.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(uri).setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers))
        // As a mobile app or a script: no Origin unless the test sends one, as a browser would.
        .setAllowOriginHeader(headers.containsKey("Origin"));
    // The handlers are set on the event loop as the handshake completes, before any frame can arrive.
    return await(client.connect(options).map(ws -> new LiveClient(client, ws)));
  }

  /** Opens a socket and authenticates with the token in the upgrade's Authorization header. */
  public static LiveClient withHeader(int port, String token) {
    return open(port, Map.of("Authorization", "Bearer " + token));
  }

  /** Opens a socket and authenticates with an auth frame; returns once {@code ready} arrived. */
  public static LiveClient authenticated(int port, String token) {
    LiveClient c = open(port, Map.of());
    c.send(new JsonObject().put("type", "auth").put("token", token));
    c.next("ready");
    return c;
  }

  public void send(JsonObject frame) {
    await(ws.writeTextMessage(frame.encode()));
  }

  void sendText(String text) {
    await(ws.writeTextMessage(text));
  }

  void sendBinary(byte[] bytes) {
    await(ws.writeBinaryMessage(Buffer.buffer(bytes)));
  }

  /** The next frame of this type (earlier frames of other types are kept in {@link #seen}). */
  public JsonObject next(String type) {
    return next(f -> type.equals(f.getString("type")), PATIENCE);
  }

  /** The next frame that matches, within {@code patience}; fails the test otherwise. */
  public JsonObject next(Predicate<JsonObject> match, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (frame == null) {
          throw new AssertionError("no matching frame within " + patience + "; seen " + seen);
        }
        seen.add(frame);
        if (match.test(frame)) {
          return frame;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The close code the server closed with, waiting up to {@link #PATIENCE}. */
  public short closeCode() {
    try {
      Short code = closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      return code == null ? -1 : code;
    } catch (Exception e) {
      throw new AssertionError("the socket was not closed within " + PATIENCE + "; seen " + seen, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Every frame taken so far. */
  public List<JsonObject> seen() {
    return seen;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
