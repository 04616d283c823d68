package io.caduceus.api.live;

import io.caduceus.api.audit.AuditDeclaration;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.audit.OperationAudits;
import io.caduceus.api.telehealth.chat.ChatMessage;
import io.caduceus.api.telehealth.chat.ChatService;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a live socket reads and writes, each as the REST operation that does the same and with that operation's
 * audit record ({@code x-caduceus-audit} in the contract): every push of PHI is one audited read, as a GET would
 * be, settled before the frame leaves (if the record cannot be written, nothing is pushed); a chat {@code send}
 * is the POST's audited write, recorded in its transaction.
 */
public final class LiveReads {

  /** The REST operations whose records the socket's reads and writes leave. */
  static final String SESSION = "getTelehealthSession";
  static final String WAITING_ROOM = "getWaitingRoom";
  static final String CHAT_READ = "listTelehealthMessages";
  static final String CHAT_SEND = "sendTelehealthMessage";

  private final TelehealthViews views;
  private final ChatService chat;
  private final OperationAudits audits;
  private final Function<String, JsonObject> operations;
  private final Map<String, AuditDeclaration> declarations = new ConcurrentHashMap<>();

  /**
   * {@code operations} gives an operation of the contract by its {@code operationId}, or null
   * ({@code Contract::operation}); it is asked once per operation a socket reads through.
   */
  public LiveReads(TelehealthViews views, ChatService chat, OperationAudits audits,
                   Function<String, JsonObject> operations) {
    this.views = views;
    this.chat = chat;
    this.audits = audits;
    this.operations = operations;
  }

  /** The session, as {@code GET /v1/telehealth/sessions/{id}} shows it to {@code ctx}. */
  Future<JsonObject> session(TenantContext ctx, UUID sessionId) {
    return audited(SESSION, HttpMethod.GET, sessionId, ctx, recording -> views.session(recording, sessionId));
  }

  /** A clinician's waiting room, or the tenant's ({@code practitionerId} null). */
  Future<JsonObject> waitingRoom(TenantContext ctx, UUID practitionerId) {
    return audited(WAITING_ROOM, HttpMethod.GET, null, ctx, recording -> views.waitingRoom(recording, practitionerId));
  }

  /** The session's latest chat messages, oldest first. */
  Future<List<ChatMessage>> chat(TenantContext ctx, UUID sessionId, int limit) {
    return audited(CHAT_READ, HttpMethod.GET, sessionId, ctx, recording -> chat.latest(recording, sessionId, limit));
  }

  /** Sends a chat message; completes once it has committed. */
  Future<ChatMessage> send(TenantContext ctx, UUID sessionId, String clientId, String body) {
    return audited(CHAT_SEND, HttpMethod.POST, sessionId, ctx,
        recording -> chat.send(recording, sessionId, clientId, body));
  }

  private <T> Future<T> audited(String operationId, HttpMethod method, UUID resource, TenantContext ctx,
                                Function<TenantContext, Future<T>> work) {
    AuditDeclaration declared = declarations.computeIfAbsent(operationId, this::declaration);
    OperationAudit audit = audits.open(declared, method, declared.idParameter() == null ? null : resource,
        null, null);
    TenantContext recording = ctx.withAudit(audit);
    Future<T> done;
    try {
      done = work.apply(recording);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.transform(result -> audit.settle(recording, result));
  }

  private AuditDeclaration declaration(String operationId) {
    JsonObject operation = Objects.requireNonNull(operations.apply(operationId),
        () -> "operation not in the contract: " + operationId);
    return AuditDeclaration.of(operationId, operation).orElseThrow(() -> new IllegalStateException(operationId
        + " declares no audit record, yet a live socket reads through it"));
  }
}
