package io.caduceus.api.telehealth.video;

import io.caduceus.api.engagement.TwilioWebhookRequest;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;

/** The video operations: the tenant's Twilio Video account, Twilio's room callbacks, and a session's participants. */
public final class VideoHandlers {

  private final VideoCredentialService credentials;
  private final VideoParticipantService participants;
  private final String publicBaseUrl;

  /** {@code publicBaseUrl} is the URL Twilio calls back on (it signs that URL), null for the request's own host. */
  public VideoHandlers(VideoCredentialService credentials, VideoParticipantService participants,
                       String publicBaseUrl) {
    this.credentials = credentials;
    this.participants = participants;
    this.publicBaseUrl = publicBaseUrl;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getVideoCredential", rc -> credentials.get(Requests.tenant(rc)).map(s -> Reply.ok(s.toJson())));
    ops.bind("putVideoCredential", rc -> credentials.put(Requests.tenant(rc), Requests.body(rc))
        .map(s -> Reply.ok(s.toJson())));
    ops.bind("deleteVideoCredential", rc -> credentials.remove(Requests.tenant(rc)).map(v -> Reply.noContent()));
    ops.bind("twilioVideoCallback", rc -> participants.callback(new TenantId(Requests.pathUuid(rc, "tenantId")),
            TwilioWebhookRequest.url(rc, publicBaseUrl), TwilioWebhookRequest.form(rc),
            TwilioWebhookRequest.signature(rc))
        .map(v -> Reply.noContent()));
    ops.bind("listSessionParticipants", rc -> participants.list(Requests.tenant(rc),
            Requests.pathUuid(rc, "sessionId"))
        .map(events -> Reply.items(events.stream().map(VideoParticipantEvent::toJson).toList())));
  }
}
