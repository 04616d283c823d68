package io.caduceus.api.engagement;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Category;
import io.caduceus.notifications.engage.Device;
import io.caduceus.notifications.engage.EngagementSettings;
import io.caduceus.notifications.engage.Message;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Preference;
import io.caduceus.notifications.template.Template;
import io.caduceus.notifications.template.TemplateText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** The engagement resources as the API shows them. */
final class EngagementJson {

  private EngagementJson() {
  }

  static JsonObject device(Device d) {
    String token = d.token();
    return new JsonObject().put("id", d.id().toString()).put("platform", d.platform())
        .put("tokenEnding", token.substring(Math.max(0, token.length() - 6)))
        .put("createdAt", d.createdAt().toString());
  }

  static JsonObject preference(Preference p) {
    return new JsonObject().put("patientId", p.patientId().toString())
        .put("channelOrder", new JsonArray(p.channelOrder().stream().map(Channel::wire).toList()))
        .put("optedOutChannels", new JsonArray(p.optedOutChannels().stream().map(Channel::wire).sorted().toList()))
        .put("optedOutCategories", new JsonArray(p.optedOutCategories().stream().map(Category::wire).sorted().toList()))
        .put("timeZone", p.zone() == null ? null : p.zone().getId()).put("locale", p.locale())
        .put("smsStopped", p.smsStoppedAt() != null).put("smsStoppedAt", time(p.smsStoppedAt()))
        .put("version", p.version());
  }

  static JsonObject settings(EngagementSettings s) {
    return new JsonObject().put("timeZone", s.zone().getId())
        .put("quietHours", new JsonObject().put("start", s.quietStart().toString()).put("end", s.quietEnd().toString()))
        .put("dailyCap", s.dailyCap())
        .put("criticalCategories", new JsonArray(s.critical().stream().map(Category::wire).toList()))
        .put("reminderOffsetsMinutes", new JsonArray(s.reminderOffsetsMinutes()))
        .put("followUpDays", s.followUpDays()).put("refillLeadDays", s.refillLeadDays())
        .put("surveyDelayHours", s.surveyDelayHours()).put("defaultLocale", s.defaultLocale())
        .put("channelVariables", s.channelVariablesJson()).put("version", s.version());
  }

  static JsonObject template(Template t) {
    List<String> names = new java.util.ArrayList<>(TemplateText.names(t.subject()));
    TemplateText.names(t.body()).stream().filter(n -> !names.contains(n)).forEach(names::add);
    return new JsonObject().put("topic", t.topic().wire()).put("channel", t.channel().wire()).put("locale", t.locale())
        .put("subject", t.subject()).put("body", t.body()).put("variables", new JsonArray(names))
        .put("shipped", t.shipped()).put("version", t.version());
  }

  static JsonObject message(Message m) {
    return new JsonObject().put("id", m.id().toString()).put("topic", m.topic().wire())
        .put("category", m.topic().category().wire()).put("source", m.source())
        .put("recipient", new JsonObject().put("kind", m.recipientKind().wire()).put("id", m.recipientId().toString()))
        .put("status", m.status().wire()).put("channel", m.channel()).put("provider", m.provider())
        .put("providerMessageId", m.providerMessageId()).put("addressHint", m.addressHint())
        .put("critical", m.critical()).put("attempts", m.attempts())
        .put("nextAttemptAt", m.status().wire().equals("queued") ? time(m.nextAttemptAt()) : null)
        .put("expiresAt", time(m.expiresAt())).put("sentAt", time(m.sentAt()))
        .put("createdAt", time(m.createdAt())).put("updatedAt", time(m.updatedAt()))
        .put("lastError", m.lastError()).put("content", m.content() == null ? null : m.content().copy());
  }

  static JsonObject detail(Message m, List<Messages.Event> history) {
    JsonArray events = new JsonArray();
    history.forEach(e -> events.add(new JsonObject().put("at", e.at().toString()).put("status", e.status())
        .put("channel", e.channel()).put("detail", e.detail())));
    return message(m).put("history", events);
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
