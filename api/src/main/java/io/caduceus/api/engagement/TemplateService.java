package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Templates;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.notifications.template.Template;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's wording of its messages per topic, channel and locale. A template may use only its topic's
 * variables, and only those whose sensitivity the tenant allows on the channel: SMS and push never carry clinical
 * details, whatever a template says.
 */
public final class TemplateService {

  private final TenantDb db;
  private final Templates templates;
  private final Settings settings;
  private final ShippedTemplates shipped;

  public TemplateService(TenantDb db, Templates templates, Settings settings, ShippedTemplates shipped) {
    this.db = db;
    this.templates = templates;
    this.settings = settings;
    this.shipped = shipped;
  }

  /** The tenant's templates and the shipped ones, narrowed by whichever filters are given. */
  public Future<List<Template>> list(TenantContext ctx, Topic topic, Channel channel, String locale) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, templates::list))
        .map(own -> {
          List<Template> all = new ArrayList<>(own);
          for (String l : shipped.locales()) {
            for (Topic t : Topic.values()) {
              for (Channel c : Channel.values()) {
                shipped.find(t, c, l).ifPresent(all::add);
              }
            }
          }
          return all.stream().filter(t -> (topic == null || t.topic() == topic)
              && (channel == null || t.channel() == channel) && (locale == null || t.locale().equals(locale))).toList();
        });
  }

  /** Sets the tenant's wording after checking every placeholder against the topic and the channel's rules. */
  public Future<Template> put(TenantContext ctx, Topic topic, Channel channel, String locale, String subject,
                              String body) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> settings.find(conn)
            .compose(rules -> {
              TemplateRules.checkShape(topic, channel, body);
              TemplateRules.check(topic, channel, subject, rules);
              TemplateRules.check(topic, channel, body, rules);
              return templates.put(conn, new Template(topic, channel, locale, channel == Channel.SMS ? null : subject,
                  body, 0, false));
            })));
  }

  /** Removes the tenant's wording; the shipped one applies again. */
  public Future<Void> remove(TenantContext ctx, Topic topic, Channel channel, String locale) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> templates.remove(conn, topic, channel, locale)
            .compose(removed -> removed ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("the tenant has no template of its own there")))));
  }
}
