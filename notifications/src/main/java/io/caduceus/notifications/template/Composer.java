package io.caduceus.notifications.template;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.EngagementSettings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.notifications.engage.Variable;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Words a message: the tenant's own template for the topic, channel and locale if it has one, else the shipped
 * wording, trying the exact locale, then its language, then the tenant's default, then English. Variables the
 * tenant does not allow on the channel render as nothing, even if an older template still names them.
 */
public final class Composer {

  private final ShippedTemplates shipped;

  public Composer(ShippedTemplates shipped) {
    this.shipped = shipped;
  }

  /** The tenant's templates of a batch, by {@link #key}. */
  public static String key(Topic topic, Channel channel, String locale) {
    return topic.wire() + "|" + channel.wire() + "|" + locale;
  }

  /**
   * Renders {@code topic} for {@code channel} in the best available locale; {@code own} (a campaign's content for
   * the channel) wins over every template when given.
   */
  public Rendered compose(Topic topic, Channel channel, String locale, Map<String, Template> tenantTemplates,
                          Map<Variable, String> values, EngagementSettings settings, Template own) {
    Template template = own != null ? own
        : pick(topic, channel, candidates(locale, settings.defaultLocale()), tenantTemplates);
    Map<Variable, String> allowed = new EnumMap<>(Variable.class);
    values.forEach((variable, value) -> {
      if (topic.variables().contains(variable) && settings.allows(channel, variable)) {
        allowed.put(variable, value);
      }
    });
    String subject = channel == Channel.SMS ? null : TemplateText.render(template.subject(), allowed);
    return new Rendered(subject, TemplateText.render(template.body(), allowed), template.locale());
  }

  private Template pick(Topic topic, Channel channel, List<String> locales, Map<String, Template> tenantTemplates) {
    for (String candidate : locales) {
      Template own = tenantTemplates.get(key(topic, channel, candidate));
      if (own != null) {
        return own;
      }
      Optional<Template> standard = shipped.find(topic, channel, candidate);
      if (standard.isPresent()) {
        return standard.get();
      }
    }
    return shipped.find(topic, channel, ShippedTemplates.FALLBACK_LOCALE).orElseThrow();
  }

  private static List<String> candidates(String locale, String tenantDefault) {
    String wanted = locale == null ? tenantDefault : locale;
    String language = Locale.forLanguageTag(wanted).getLanguage();
    return List.of(wanted, language, tenantDefault, ShippedTemplates.FALLBACK_LOCALE);
  }
}
