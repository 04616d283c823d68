package io.caduceus.api.live;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unavailable;
import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.quota.Bulkheads;
import io.caduceus.routing.web.WebOrigins;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One client's live socket, confined to the event loop that accepted it. It waits for a token (the upgrade's
 * {@code Authorization} header or an {@code auth} frame), then serves subscriptions and chat sends under that
 * token's context until the token expires unrenewed, its session ends or its tenant is suspended (checked on every
 * push and every {@link LiveSettings#recheck}), or the client goes.
 */
final class LiveSocket {

  /** A push that failed for a passing reason is tried again this many times, 1 s, 2 s, 3 s later. */
  private static final int RETRIES = 3;
  private static final long RETRY_MS = 1_000;
  private static final int CHECKS_PER_SECOND = 5;
  /** How many frames a client may send behind its token before it is verified (more answer 401). */
  private static final int EARLY_FRAMES = 32;

  private final ServerWebSocket ws;
  private final Context context;
  private final LiveHub hub;
  private final LiveAuth auth;
  private final LiveReads reads;
  private final LiveSettings settings;
  private final WebOrigins origins;
  private final String origin;
  private final String requestId;
  private final String clientAddress;
  private final Map<String, LiveSubscription> subscriptions = new LinkedHashMap<>();
  private final SendWindow sends;
  /** auth and subscribe frames: each costs a token check or a read, so they share a budget of their own. */
  private final SendWindow checks = new SendWindow(CHECKS_PER_SECOND);
  /** Frames that came while the socket's first token was being verified, handled in order once it is. */
  private final ArrayDeque<JsonObject> early = new ArrayDeque<>();
  private boolean authenticating;
  private LiveAuth.Grant grant;
  private long authTimer = -1;
  private long expiryTimer = -1;
  private long recheckTimer = -1;
  private boolean closed;

  LiveSocket(ServerWebSocket ws, Context context, LiveHub hub, LiveAuth auth, LiveReads reads,
             LiveSettings settings, WebOrigins origins, String origin, String requestId, String clientAddress) {
    this.ws = ws;
    this.context = context;
    this.hub = hub;
    this.auth = auth;
    this.reads = reads;
    this.settings = settings;
    this.origins = origins;
    this.origin = origin;
    this.requestId = requestId;
    this.clientAddress = clientAddress;
    this.sends = new SendWindow(settings.sendsPerSecond());
  }

  /** Starts reading frames; authenticates at once with {@code headerToken}, or waits for an {@code auth} frame. */
  void start(String headerToken) {
    ws.textMessageHandler(this::frame);
    ws.binaryMessageHandler(b -> send(LiveFrames.error("invalid-frame", 400, "frames are JSON text", null)));
    ws.closeHandler(v -> ended());
    ws.exceptionHandler(e -> { });
    if (headerToken != null) {
      authenticate(headerToken, null);
    } else {
      authTimer = context.owner().setTimer(settings.authTimeout().toMillis(), id -> {
        authTimer = -1;
        if (grant == null) {
          close(LiveFrames.error("unauthorized", 401, "no auth frame within "
              + settings.authTimeout().toSeconds() + " s", null), LiveClose.AUTH_TIMEOUT, "no auth");
        }
      });
    }
  }

  Context context() {
    return context;
  }

  TenantContext tenant() {
    return grant == null ? null : grant.ctx();
  }

  private void frame(String text) {
    if (closed) {
      return;
    }
    if (text.length() > settings.maxFrameChars()) {
      send(LiveFrames.error("frame-too-large", 413, "a frame may hold " + settings.maxFrameChars()
          + " characters", null));
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      send(LiveFrames.error("invalid-frame", 400, "a frame is a JSON object with a type", null));
      return;
    }
    String type = LiveSubscription.text(frame, "type");
    String ref = LiveSubscription.text(frame, "id");
    if ("ping".equals(type)) {
      send(new JsonObject().put("type", "pong").put("ref", ref));
    } else if (("auth".equals(type) || "subscribe".equals(type)) && !checks.take()) {
      send(LiveFrames.error("too-many-requests", 429, "at most " + CHECKS_PER_SECOND
          + " auth and subscribe frames a second", ref));
    } else if ("auth".equals(type)) {
      authenticate(LiveSubscription.text(frame, "token"), ref);
    } else if (type == null || !(type.equals("subscribe") || type.equals("unsubscribe") || type.equals("send"))) {
      send(LiveFrames.error("invalid-frame", 400, "unknown frame type; see asyncapi.yaml", ref));
    } else if (grant == null && authenticating && early.size() < EARLY_FRAMES) {
      early.add(frame); // sent right behind the auth frame (or the upgrade's token): handled once it is verified
    } else if (grant == null) {
      send(LiveFrames.error("unauthorized", 401, "authenticate first with an auth frame", ref));
    } else {
      act(type, frame, ref);
    }
  }

  /** A subscribe, unsubscribe or send frame of an authenticated socket. */
  private void act(String type, JsonObject frame, String ref) {
    if (type.equals("subscribe")) {
      subscribe(frame);
    } else if (type.equals("unsubscribe")) {
      if (subscriptions.remove(ref) == null) {
        send(LiveFrames.error("not-found", 404, "no subscription with this id", ref));
      }
    } else {
      chatSend(frame);
    }
  }

  private void authenticate(String token, String ref) {
    authenticating |= grant == null;
    auth.verify(token, requestId, clientAddress).onComplete(verified -> {
      if (closed) {
        return;
      }
      // Decided now, not when the frame came: of two auth frames in flight at once, the second to finish renews.
      boolean renewal = grant != null;
      if (verified.failed()) {
        if (renewal) {
          send(LiveFrames.error(verified.cause(), ref)); // the current token stays until it expires
        } else {
          close(LiveFrames.error(verified.cause(), ref), LiveClose.of(verified.cause()), "not authenticated");
        }
        return;
      }
      LiveAuth.Grant next = verified.result();
      if (renewal && !(next.ctx().userId().equals(grant.ctx().userId())
          && next.ctx().tenantId().equals(grant.ctx().tenantId()))) {
        send(LiveFrames.error("forbidden", 403, "a renewal must be for the same user and tenant", ref));
        return;
      }
      if (origin != null && !origins.allows(origin, next.ctx())) {
        close(LiveFrames.error("forbidden", 403, "this origin may not open live sockets for the tenant", ref),
            LiveClose.FORBIDDEN, "origin");
        return;
      }
      accept(next, renewal);
    });
  }

  private void accept(LiveAuth.Grant next, boolean renewal) {
    grant = next;
    cancel(authTimer);
    cancel(expiryTimer);
    long left = Math.max(1, next.expiresAtMillis() - System.currentTimeMillis());
    expiryTimer = context.owner().setTimer(left, id -> close(LiveFrames.error(Unauthorized.expiredToken(), null),
        LiveClose.UNAUTHORIZED, "token expired"));
    if (!renewal) {
      hub.join(this);
      recheckTimer = context.owner().setPeriodic(settings.recheck().toMillis(), id -> {
        ws.writePing(Buffer.buffer("live")); // keeps an idle socket from the server's idle timeout
        standing();
      });
    }
    send(LiveFrames.ready(next, renewal, settings));
    authenticating = false;
    while (!early.isEmpty() && !closed) {
      JsonObject frame = early.poll();
      act(LiveSubscription.text(frame, "type"), frame, LiveSubscription.text(frame, "id"));
    }
  }

  /** Checks the session and tenant again; closes the socket if either no longer stands. */
  private Future<TenantContext> standing() {
    if (grant == null || closed) {
      return Future.failedFuture(new Unauthorized("not authenticated"));
    }
    return auth.recheck(grant).onFailure(e -> {
      if (!(e instanceof Unavailable) && !closed) {
        close(LiveFrames.error(e, null), LiveClose.of(e), "no longer authorised");
      }
    });
  }

  private void subscribe(JsonObject frame) {
    LiveSubscription sub;
    try {
      sub = LiveSubscription.of(frame);
    } catch (Invalid e) {
      send(LiveFrames.error(e, LiveSubscription.text(frame, "id")));
      return;
    }
    if (subscriptions.containsKey(sub.id)) {
      send(LiveFrames.error("conflict", 409, "a subscription with this id exists; unsubscribe it first", sub.id));
    } else if (subscriptions.size() >= settings.maxSubscriptions()) {
      send(LiveFrames.error("too-many-requests", 429, "a socket may hold " + settings.maxSubscriptions()
          + " subscriptions", sub.id));
    } else {
      // The first push is the current state, read as REST would; a refusal is its error frame, and no subscription.
      push(sub, true);
    }
  }

  /** A change committed somewhere in the region: checks the token's standing, then pushes what it concerns. */
  void changed(LiveChange change) {
    if (grant != null && !closed && subscriptions.values().stream().anyMatch(s -> s.concerns(change))) {
      pushAll(s -> s.concerns(change), 0);
    }
  }

  /** Pushes the current state of every subscription (after this node may have missed changes). */
  void refreshAll() {
    if (grant != null && !closed && !subscriptions.isEmpty()) {
      pushAll(s -> true, 0);
    }
  }

  /**
   * Checks the token's standing, then pushes the subscriptions that match, within the node's fan-out limit. When
   * the standing or a read is unavailable for a moment (a database or Redis hiccup), it tries again shortly rather
   * than leave a stale screen; a refusal closes the socket (standing) or is sent as an error frame (read).
   */
  private void pushAll(Predicate<LiveSubscription> which, int attempt) {
    hub.fanOut.run(context, () -> standing().compose(ctx -> Future.join(subscriptions.values().stream()
            .filter(which).toList().stream().map(s -> push(s, false)).toList())))
        .onFailure(e -> {
          if (!closed && attempt < RETRIES && passing(e)) {
            context.owner().setTimer(RETRY_MS * (attempt + 1), id -> pushAll(which, attempt + 1));
          }
        });
  }

  /** Pushes one subscription's state; the first push of a subscription also decides whether it is held. */
  private Future<Void> push(LiveSubscription sub, boolean first) {
    if (sub.pushing) {
      sub.again = true;
      return Future.succeededFuture();
    }
    sub.pushing = true;
    TenantContext ctx = grant.ctx();
    Future<JsonObject> state = switch (sub.topic) {
      case LiveSubscription.SESSION -> reads.session(ctx, sub.sessionId)
          .map(s -> new JsonObject().put("type", "session").put("id", sub.id).put("session", s));
      case LiveSubscription.WAITING_ROOM -> reads.waitingRoom(ctx, sub.practitionerId)
          .map(w -> new JsonObject().put("type", "waiting_room").put("id", sub.id).put("waitingRoom", w));
      default -> reads.chat(ctx, sub.sessionId, 50).map(messages -> LiveChat.frame(sub, messages, first));
    };
    return state.transform(read -> {
      sub.pushing = false;
      if (closed) {
        return Future.succeededFuture();
      }
      boolean held = subscriptions.get(sub.id) == sub;
      if (read.succeeded()) {
        if (first) {
          subscriptions.put(sub.id, sub);
          held = true;
        }
        if (read.result() != null && held) {
          send(read.result());
        }
      } else if (first || !passing(read.cause())) {
        // Refused at subscribe: no subscription. Later (the session no longer visible, say): the client decides.
        send(LiveFrames.error(read.cause(), sub.id));
      }
      if (sub.again && held) {
        sub.again = false;
        return push(sub, false);
      }
      return read.failed() && !first ? Future.failedFuture(read.cause()) : Future.succeededFuture();
    });
  }

  /** Whether a failure passes by itself (REST would answer 503 and ask to retry). */
  private static boolean passing(Throwable e) {
    return e instanceof Unavailable || e instanceof Bulkheads.Full || e instanceof TenantDb.PlaceUnavailable
        || DatabaseOutage.explains(e);
  }

  private void chatSend(JsonObject frame) {
    String clientId = LiveSubscription.text(frame, "clientId");
    if (!sends.take()) {
      send(LiveFrames.error(new TooManyRequests("at most " + settings.sendsPerSecond()
          + " messages a second", 1), clientId));
      return;
    }
    LiveChat.send(reads, grant.ctx(), frame).onComplete(answer -> send(answer.result()));
  }

  private void send(JsonObject frame) {
    if (!closed) {
      ws.writeTextMessage(frame.encode());
    }
  }

  /** Sends {@code last}, then closes with {@code code}. */
  void close(JsonObject last, short code, String reason) {
    if (closed) {
      return;
    }
    if (last != null) {
      send(last);
    }
    closed = true;
    ws.close(code, reason);
    ended();
  }

  private void ended() {
    closed = true;
    cancel(authTimer);
    cancel(expiryTimer);
    cancel(recheckTimer);
    hub.leave(this);
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
  }
}
