package io.caduceus.api.live;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * What live clients may watch of telehealth, read under the watching client's own context and permissions exactly
 * as the REST API reads it (the telehealth service implements this; the live-events layer only calls it).
 */
public interface TelehealthViews {

  /** The session as {@code GET /v1/telehealth/sessions/{id}} shows it to {@code ctx}; fails with NotFound if not. */
  Future<JsonObject> session(TenantContext ctx, UUID sessionId);

  /**
   * The waiting room as {@code GET /v1/telehealth/waiting-room} shows it: a clinician's ({@code practitionerId}),
   * or the tenant's (null).
   */
  Future<JsonObject> waitingRoom(TenantContext ctx, UUID practitionerId);

  /**
   * Where {@code ctx} sits in the session's chat: fails with NotFound if it cannot see the session, with Forbidden
   * if it may not read the chat (a receptionist).
   */
  Future<ChatSeat> chatSeat(TenantContext ctx, UUID sessionId);

  /**
   * A participant's seat in a session's chat.
   *
   * @param senderRole {@code patient} or {@code clinician}
   * @param open       whether messages may still be sent (the session has not ended or been cancelled)
   */
  record ChatSeat(UUID sessionId, UUID patientId, UUID practitionerId, String senderRole, String senderName,
                  boolean open) {
  }
}
