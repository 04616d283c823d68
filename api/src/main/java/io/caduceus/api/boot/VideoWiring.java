package io.caduceus.api.boot;

import io.caduceus.api.telehealth.video.TenantVideoRooms;
import io.caduceus.api.telehealth.video.TwilioVideo;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.vertx.core.Future;

/**
 * The video rooms of virtual visits: each tenant's own Twilio Video account, or the sandbox. Twilio is reached at
 * the engagement's Twilio base URL (a local fake in tests), with the SMS sender's timeout, and reports room events
 * to the public URL's {@code /v1/webhooks/twilio/video/{tenantId}}.
 */
final class VideoWiring {

  final TwilioVideo twilio;
  final VideoRooms rooms;

  VideoWiring(Shared shared) {
    AppConfig.Engagement engagement = shared.config().engagement();
    String callbacks = engagement.dispatch().statusCallbackBase();
    this.twilio = new TwilioVideo(shared.vertx().createSharedWorkerExecutor("provider-sdk", 32),
        engagement.endpoints().twilioBaseUrl(), engagement.sendTimeout(),
        callbacks == null ? null : callbacks + "/video");
    this.rooms = new TenantVideoRooms(shared.db(), shared.keyring(), twilio);
  }

  /** Closes the Twilio connection pool. */
  Future<Void> close() {
    return twilio.close();
  }
}
