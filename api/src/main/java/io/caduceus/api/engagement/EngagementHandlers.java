package io.caduceus.api.engagement;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.MessageStatus;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Topic;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The engagement operations: devices, preferences, settings, templates, provider accounts and messages. */
public final class EngagementHandlers {

  private final DeviceService devices;
  private final PreferenceService preferences;
  private final EngagementSettingsService settings;
  private final TemplateService templates;
  private final MessageService messages;
  private final Idempotency idempotency;

  public EngagementHandlers(DeviceService devices, PreferenceService preferences, EngagementSettingsService settings,
                            TemplateService templates, MessageService messages, Idempotency idempotency) {
    this.devices = devices;
    this.preferences = preferences;
    this.settings = settings;
    this.templates = templates;
    this.messages = messages;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("registerDevice", rc -> idempotency.inTransaction(rc, joined -> devices.register(joined,
            Requests.body(rc).getString("token"), Requests.body(rc).getString("platform"))
        .map(d -> Reply.created("/v1/portal/devices/" + d.id(), EngagementJson.device(d)))));
    ops.bind("listDevices", rc -> devices.list(Requests.tenant(rc))
        .map(list -> Reply.items(list.stream().map(EngagementJson::device).toList())));
    ops.bind("unregisterDevice", rc -> devices.remove(Requests.tenant(rc), Requests.pathUuid(rc, "deviceId"))
        .map(v -> Reply.noContent()));
    ops.bind("getMyNotificationPreferences", rc -> preferences.get(Requests.tenant(rc), null)
        .map(p -> Reply.ok(EngagementJson.preference(p))));
    ops.bind("putMyNotificationPreferences", rc -> preferences.put(Requests.tenant(rc), null, Requests.body(rc))
        .map(p -> Reply.ok(EngagementJson.preference(p))));
    ops.bind("getPatientNotificationPreferences", rc -> preferences.get(Requests.tenant(rc),
            Requests.pathUuid(rc, "patientId"))
        .map(p -> Reply.ok(EngagementJson.preference(p))));
    ops.bind("putPatientNotificationPreferences", rc -> preferences.put(Requests.tenant(rc),
            Requests.pathUuid(rc, "patientId"), Requests.body(rc))
        .map(p -> Reply.ok(EngagementJson.preference(p))));
    ops.bind("getEngagementSettings", rc -> settings.get(Requests.tenant(rc))
        .map(s -> Reply.ok(EngagementJson.settings(s))));
    ops.bind("putEngagementSettings", rc -> settings.put(Requests.tenant(rc), Requests.body(rc))
        .map(s -> Reply.ok(EngagementJson.settings(s))));
    ops.bind("listTemplates", this::listTemplates);
    ops.bind("putTemplate", this::putTemplate);
    ops.bind("deleteTemplate", rc -> templates.remove(Requests.tenant(rc), topic(Requests.pathString(rc, "topic")),
            channel(Requests.pathString(rc, "channel")), Requests.pathString(rc, "locale"))
        .map(v -> Reply.noContent()));
    ops.bind("listProviderCredentials", rc -> settings.credentials(Requests.tenant(rc)).map(Reply::items));
    ops.bind("putProviderCredential", rc -> settings.putCredential(Requests.tenant(rc),
            channel(Requests.pathString(rc, "channel")), Requests.body(rc))
        .map(Reply::ok));
    ops.bind("deleteProviderCredential", rc -> settings.removeCredential(Requests.tenant(rc),
            channel(Requests.pathString(rc, "channel")))
        .map(v -> Reply.noContent()));
    ops.bind("listMessages", rc -> listMessages(rc, filter(rc)));
    ops.bind("getMessage", rc -> messages.get(Requests.tenant(rc), Requests.pathUuid(rc, "messageId"))
        .map(Reply::ok));
    ops.bind("listDeadLetters", rc -> listMessages(rc, MessageService.deadLetters()));
    ops.bind("requeueMessage", rc -> idempotency.inTransaction(rc, joined -> messages.requeue(joined,
            Requests.pathUuid(rc, "messageId"))
        .map(m -> Reply.ok(EngagementJson.message(m)))));
  }

  private Future<Reply> listTemplates(RoutingContext rc) {
    return templates.list(Requests.tenant(rc), topic(Requests.queryString(rc, "topic")),
            channel(Requests.queryString(rc, "channel")), Requests.queryString(rc, "locale"))
        .map(list -> Reply.items(list.stream().map(EngagementJson::template).toList()));
  }

  private Future<Reply> putTemplate(RoutingContext rc) {
    return templates.put(Requests.tenant(rc), topic(Requests.pathString(rc, "topic")),
            channel(Requests.pathString(rc, "channel")), Requests.pathString(rc, "locale"),
            Requests.body(rc).getString("subject"), Requests.body(rc).getString("body"))
        .map(t -> Reply.ok(EngagementJson.template(t)));
  }

  private Future<Reply> listMessages(RoutingContext rc, Messages.Filter filter) {
    return messages.list(Requests.tenant(rc), filter, Requests.queryInt(rc, "limit", 50),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(EngagementJson::message)));
  }

  private static Messages.Filter filter(RoutingContext rc) {
    String status = Requests.queryString(rc, "status");
    return new Messages.Filter(status == null ? null : MessageStatus.fromWire(status),
        Requests.queryString(rc, "channel"), Requests.queryString(rc, "provider"), Requests.queryUuid(rc, "patientId"),
        topic(Requests.queryString(rc, "topic")));
  }

  private static Topic topic(String wire) {
    return wire == null ? null : Topic.fromWire(wire).orElseThrow(() -> new IllegalArgumentException("topic"));
  }

  private static Channel channel(String wire) {
    return wire == null ? null : Channel.fromWire(wire);
  }
}
