package io.caduceus.notifications.template;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Topic;

/** The wording of a topic on a channel in a locale; {@code shipped} when it is the default, not the tenant's own. */
public record Template(Topic topic, Channel channel, String locale, String subject, String body, int version,
                       boolean shipped) {
}
