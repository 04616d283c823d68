package io.caduceus.api.telehealth.video;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;

import java.time.Instant;

/**
 * The video rooms of a tenant's virtual visits, through the tenant's own provider account (Twilio Video) or, when
 * it has none, the sandbox. One room per session, named {@code visit-<session id>} (no PHI in a provider's logs).
 */
public interface VideoRooms {

  /** Creates the room {@code uniqueName}, or answers the open room of that name: safe to repeat. */
  Future<VideoRoom> open(TenantContext ctx, String uniqueName, int maxParticipants);

  /** Ends the room (Twilio: status {@code completed}); a room already ended is not an error. */
  Future<Void> complete(TenantContext ctx, VideoRoom room);

  /** An access token for {@code identity} that grants this room only, valid until {@code expiresAt}. */
  Future<VideoToken> token(TenantContext ctx, VideoRoom room, String identity, Instant expiresAt);

  /**
   * Disconnects the participant {@code identity} from the room (Twilio: participant status {@code disconnected}),
   * and records that it was asked; one not in the room, or a room already ended, is not an error.
   */
  Future<Void> disconnect(TenantContext ctx, VideoRoom room, String identity);
}
