package io.caduceus.api.engagement;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.MessageStatus;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

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
    ops.bindRaw("registerDevice", rc -> post(rc, ctx -> devices.register(ctx, Requests.body(rc).getString("token"),
            Requests.body(rc).getString("platform"))
        .map(d -> Reply.created("/v1/portal/devices/" + d.id(), EngagementJson.device(d)))));
    ops.bindRaw("listDevices", rc -> reply(rc, devices.list(Requests.tenant(rc)).map(list -> new JsonObject()
        .put("items", new JsonArray(list.stream().map(EngagementJson::device).toList())))));
    ops.bindRaw("unregisterDevice", rc -> done(rc, devices.remove(Requests.tenant(rc), Requests.pathUuid(rc, "deviceId"))));
    ops.bindRaw("getMyNotificationPreferences", rc -> reply(rc, preferences.get(Requests.tenant(rc), null)
        .map(EngagementJson::preference)));
    ops.bindRaw("putMyNotificationPreferences", rc -> reply(rc, preferences.put(Requests.tenant(rc), null,
        Requests.body(rc)).map(EngagementJson::preference)));
    ops.bindRaw("getPatientNotificationPreferences", rc -> reply(rc, preferences.get(Requests.tenant(rc),
        Requests.pathUuid(rc, "patientId")).map(EngagementJson::preference)));
    ops.bindRaw("putPatientNotificationPreferences", rc -> reply(rc, preferences.put(Requests.tenant(rc),
        Requests.pathUuid(rc, "patientId"), Requests.body(rc)).map(EngagementJson::preference)));
    ops.bindRaw("getEngagementSettings", rc -> reply(rc, settings.get(Requests.tenant(rc)).map(EngagementJson::settings)));
    ops.bindRaw("putEngagementSettings", rc -> reply(rc, settings.put(Requests.tenant(rc), Requests.body(rc))
        .map(EngagementJson::settings)));
    ops.bindRaw("listTemplates", rc -> reply(rc, templates.list(Requests.tenant(rc), topic(Requests.queryString(rc, "topic")),
            channel(Requests.queryString(rc, "channel")), Requests.queryString(rc, "locale"))
        .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(EngagementJson::template).toList())))));
    ops.bindRaw("putTemplate", rc -> reply(rc, templates.put(Requests.tenant(rc), topic(Requests.pathString(rc, "topic")),
            channel(Requests.pathString(rc, "channel")), Requests.pathString(rc, "locale"),
            Requests.body(rc).getString("subject"), Requests.body(rc).getString("body"))
        .map(EngagementJson::template)));
    ops.bindRaw("deleteTemplate", rc -> done(rc, templates.remove(Requests.tenant(rc), topic(Requests.pathString(rc, "topic")),
        channel(Requests.pathString(rc, "channel")), Requests.pathString(rc, "locale"))));
    ops.bindRaw("listProviderCredentials", rc -> reply(rc, settings.credentials(Requests.tenant(rc))
        .map(items -> new JsonObject().put("items", items))));
    ops.bindRaw("putProviderCredential", rc -> reply(rc, settings.putCredential(Requests.tenant(rc),
        channel(Requests.pathString(rc, "channel")), Requests.body(rc))));
    ops.bindRaw("deleteProviderCredential", rc -> done(rc, settings.removeCredential(Requests.tenant(rc),
        channel(Requests.pathString(rc, "channel")))));
    ops.bindRaw("listMessages", rc -> reply(rc, messages.list(Requests.tenant(rc), filter(rc),
            Requests.queryInt(rc, "limit", 50), Requests.queryString(rc, "cursor"))
        .map(page -> page.toJson(EngagementJson::message))));
    ops.bindRaw("getMessage", rc -> reply(rc, messages.get(Requests.tenant(rc), Requests.pathUuid(rc, "messageId"))));
    ops.bindRaw("listDeadLetters", rc -> reply(rc, messages.list(Requests.tenant(rc), MessageService.deadLetters(),
            Requests.queryInt(rc, "limit", 50), Requests.queryString(rc, "cursor"))
        .map(page -> page.toJson(EngagementJson::message))));
    ops.bindRaw("requeueMessage", rc -> post(rc, ctx -> messages.requeue(ctx, Requests.pathUuid(rc, "messageId"))
        .map(m -> Reply.ok(EngagementJson.message(m)))));
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

  private void post(RoutingContext rc, Function<TenantContext, Future<Reply>> action) {
    idempotency.inTenant(rc, Requests.tenant(rc), action)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static void reply(RoutingContext rc, Future<JsonObject> body) {
    body.onSuccess(json -> Replies.send(rc, Reply.ok(json))).onFailure(rc::fail);
  }

  private static void done(RoutingContext rc, Future<Void> action) {
    action.onSuccess(v -> Replies.send(rc, Reply.noContent())).onFailure(rc::fail);
  }
}
