package io.caduceus.notifications.template;

import io.vertx.core.json.JsonObject;

/** A message's words as sent: the subject (email, push title; null for SMS) and the body, with the locale used. */
public record Rendered(String subject, String body, String locale) {

  /** As stored with the message, so its history shows what was sent. */
  public JsonObject toJson() {
    return new JsonObject().put("subject", subject).put("body", body).put("locale", locale);
  }

  /** The same words with every occurrence of {@code secret} replaced by {@code placeholder}, to be stored. */
  public Rendered withheld(String secret, String placeholder) {
    return new Rendered(subject == null ? null : subject.replace(secret, placeholder),
        body.replace(secret, placeholder), locale);
  }

  /** Reads {@link #toJson()} back. */
  public static Rendered fromJson(JsonObject json) {
    return new Rendered(json.getString("subject"), json.getString("body"), json.getString("locale"));
  }
}
