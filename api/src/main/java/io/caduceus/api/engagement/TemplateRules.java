package io.caduceus.api.engagement;

import io.caduceus.api.error.Unprocessable;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.EngagementSettings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.notifications.engage.Variable;
import io.caduceus.notifications.template.TemplateText;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a tenant's wording (a template, a campaign's content) may say: only its topic's variables, and only those
 * whose sensitivity the tenant allows on the channel.
 */
final class TemplateRules {

  /** The topics that exist to carry a single-use link. */
  private static final Set<Topic> LINK_TOPICS = EnumSet.of(Topic.ACCOUNT_INVITATION, Topic.PASSWORD_RESET,
      Topic.EMAIL_VERIFICATION);

  private TemplateRules() {
  }

  /**
   * Fails with 422 when the topic never goes out on the channel (an account invitation is email only), or when
   * wording of a topic that exists to carry its link leaves {@code {{link}}} out of the body.
   */
  static void checkShape(Topic topic, Channel channel, String body) {
    if (!topic.channels().contains(channel)) {
      throw new Unprocessable(topic.wire() + " is never sent by " + channel.wire());
    }
    if (LINK_TOPICS.contains(topic) && !TemplateText.names(body).contains(Variable.LINK.token())) {
      throw new Unprocessable(topic.wire() + " must carry {{link}} in its body: it is what the recipient opens");
    }
  }

  /** Fails with 422 naming the first placeholder {@code text} may not use. */
  static void check(Topic topic, Channel channel, String text, EngagementSettings rules) {
    for (String name : TemplateText.names(text)) {
      Variable variable = Variable.byToken(name)
          .orElseThrow(() -> new Unprocessable("{{" + name + "}} is not a template variable"));
      if (!topic.variables().contains(variable)) {
        throw new Unprocessable("{{" + name + "}} is not a variable of " + topic.wire());
      }
      if (!rules.allows(channel, variable)) {
        throw new Unprocessable("{{" + name + "}} is " + variable.sensitivity().wire()
            + " information, which the tenant does not allow on " + channel.wire());
      }
    }
  }
}
