package io.caduceus.api.boot;

import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.live.LiveAuth;
import io.caduceus.api.live.LiveHub;
import io.caduceus.api.live.LiveListener;
import io.caduceus.api.live.LiveReads;
import io.caduceus.api.live.LiveRoute;
import io.caduceus.api.live.LiveSettings;
import io.caduceus.api.live.TelehealthViews;
import io.caduceus.api.telehealth.chat.ChatHandlers;
import io.caduceus.api.telehealth.chat.ChatService;
import io.caduceus.routing.web.WebOrigins;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/** Live events and the in-visit chat: the socket route, the node's sockets, its NOTIFY listeners, the chat. */
final class LiveWiring {

  final ChatService chat;
  final LiveHub hub = new LiveHub();
  final LiveListener listener;
  final LiveRoute route;

  LiveWiring(Shared shared, AccessWiring access, Function<String, JsonObject> operations, WebOrigins webOrigins,
             TelehealthViews views) {
    this.chat = new ChatService(shared.db(), views, shared.cursors());
    LiveReads reads = new LiveReads(views, chat, new OperationAudits(shared.audit()), operations);
    this.listener = new LiveListener(shared.vertx(), shared.regions(), shared.placements(), hub);
    this.route = new LiveRoute(hub, new LiveAuth(access.tokenVerifier, access.resolver), reads, LiveSettings.DEFAULTS,
        webOrigins);
  }

  /** The node's live sockets and its listeners' reconnections, as metrics. */
  void meter(MeterRegistry registry) {
    Gauge.builder("caduceus.live.sockets", hub, LiveHub::size)
        .description("Authenticated live sockets on this node").register(registry);
    FunctionCounter.builder("caduceus.live.listener.reconnects", listener, LiveListener::reconnects)
        .description("Times a LISTEN connection was reopened (each followed by a refresh of every subscription)")
        .register(registry);
  }

  /** Binds the chat's REST operations. */
  void bind(Operations ops, Idempotency idempotency) {
    new ChatHandlers(chat, idempotency).bind(ops);
  }
}
