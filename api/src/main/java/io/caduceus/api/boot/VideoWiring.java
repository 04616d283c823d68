package io.caduceus.api.boot;

import io.caduceus.api.http.Operations;
import io.caduceus.api.telehealth.video.TenantVideoRooms;
import io.caduceus.api.telehealth.video.TwilioVideo;
import io.caduceus.api.telehealth.video.VideoCredentialService;
import io.caduceus.api.telehealth.video.VideoHandlers;
import io.caduceus.api.telehealth.video.VideoParticipantService;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.vertx.core.Future;

import java.time.Clock;

/**
 * The video rooms of virtual visits: each tenant's own Twilio Video account, or the sandbox. Twilio is reached at
 * the engagement's Twilio base URL (a local fake in tests), with the SMS sender's timeout, and reports room events
 * to the public URL's {@code /v1/webhooks/twilio/{tenantId}/video}.
 */
final class VideoWiring {

  final TwilioVideo twilio;
  final VideoRooms rooms;
  private final VideoHandlers handlers;

  VideoWiring(Shared shared) {
    AppConfig.Engagement engagement = shared.config().engagement();
    String callbacks = engagement.dispatch().statusCallbackBase();
    this.twilio = new TwilioVideo(shared.vertx().createSharedWorkerExecutor("provider-sdk", 32),
        engagement.endpoints().twilioBaseUrl(), engagement.sendTimeout(),
        callbacks);
    this.rooms = new TenantVideoRooms(shared.db(), shared.keyring(), twilio);
    String publicUrl = shared.config().http().publicUrl();
    this.handlers = new VideoHandlers(new VideoCredentialService(shared.db(), shared.keyring()),
        new VideoParticipantService(shared.db(), shared.catalog(), shared.keyring(), Clock.systemUTC()),
        publicUrl == null ? null : publicUrl.replaceAll("/+$", ""));
  }

  /** Binds the video operations. */
  void bind(Operations ops) {
    handlers.bind(ops);
  }

  /** Closes the Twilio connection pool. */
  Future<Void> close() {
    return twilio.close();
  }
}
