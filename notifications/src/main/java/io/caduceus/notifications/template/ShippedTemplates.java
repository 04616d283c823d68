package io.caduceus.notifications.template;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Topic;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The wording Caduceus ships for every topic on each channel it goes out on, in English and Spanish
 * ({@code templates/defaults.json}).
 */
public final class ShippedTemplates {

  private static final String RESOURCE = "/templates/defaults.json";
  /** The locale used when neither the patient's nor the tenant's has a shipped wording. */
  public static final String FALLBACK_LOCALE = "en";

  private final JsonObject locales;

  private ShippedTemplates(JsonObject locales) {
    this.locales = locales;
  }

  /** Reads the shipped file; a missing topic or channel in any locale fails here, not at send time. */
  public static ShippedTemplates load() {
    try (InputStream in = ShippedTemplates.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + RESOURCE);
      }
      JsonObject locales = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("locales");
      for (String locale : locales.fieldNames()) {
        for (Topic topic : Topic.values()) {
          for (Channel channel : topic.channels()) {
            if (locales.getJsonObject(locale).getJsonObject(topic.wire(), new JsonObject()).getJsonObject(channel.wire())
                == null) {
              throw new IllegalStateException("no shipped " + locale + " " + topic.wire() + " " + channel.wire());
            }
          }
        }
      }
      return new ShippedTemplates(locales);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The locales there is shipped wording for. */
  public Set<String> locales() {
    return locales.fieldNames();
  }

  /** The shipped wording in {@code locale}, if that locale is shipped and the topic goes out on the channel. */
  public Optional<Template> find(Topic topic, Channel channel, String locale) {
    JsonObject byLocale = locales.getJsonObject(locale);
    if (byLocale == null || !topic.channels().contains(channel)) {
      return Optional.empty();
    }
    JsonObject t = byLocale.getJsonObject(topic.wire()).getJsonObject(channel.wire());
    return Optional.of(new Template(topic, channel, locale, t.getString("subject"), t.getString("body"), 0, true));
  }
}
