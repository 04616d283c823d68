package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.SmtpAccount;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.notifications.engage.Category;
import io.caduceus.notifications.engage.EngagementSettings;
import io.caduceus.notifications.engage.PlatformAccounts;
import io.caduceus.notifications.engage.ProviderCredentials;
import io.caduceus.notifications.engage.Sensitivity;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.TenantSenders;
import io.caduceus.api.config.ConfigProjection;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's engagement configuration: its delivery rules, and its own provider accounts (sealed under its data
 * key; only a summary ever leaves). Tenant admins and CRM managers. The delivery rules are the tenant level of the
 * "engagement" configuration namespace, whose truth is the configuration store; every write of it is projected into
 * the tenant's region ({@code engagement_settings}), where the engine reads it inside its own transactions.
 */
public final class EngagementSettingsService implements ConfigProjection {

  /** The configuration namespace of the delivery rules. */
  public static final String NAMESPACE = "engagement";

  private final TenantDb db;
  private final Settings settings;
  private final ProviderCredentials credentials;
  private final TenantSenders senders;
  private final PlatformAccounts platform;
  private final PhoneNumbers phones;
  private final ConfigStore config;

  public EngagementSettingsService(TenantDb db, Settings settings, ProviderCredentials credentials,
                                   TenantSenders senders, PlatformAccounts platform, PhoneNumbers phones,
                                   ConfigStore config) {
    this.config = config;
    this.db = db;
    this.settings = settings;
    this.credentials = credentials;
    this.senders = senders;
    this.platform = platform;
    this.phones = phones;
  }

  /** The tenant's delivery rules (the defaults until it sets its own). */
  public Future<EngagementSettings> get(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE).compose(v -> db.once(ctx, settings::find));
  }

  /** Replaces the tenant's delivery rules: a new version of its "engagement" configuration, then its projection. */
  public Future<EngagementSettings> put(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> {
          EngagementSettings rules = parse(body);
          return config.merge(NAMESPACE, ConfigScope.tenant(ctx.tenantId()), values(rules), ctx.userId())
              .compose(entry -> db.inTenant(ctx, conn -> settings.put(conn, rules)));
        });
  }

  /** Writes the tenant's effective "engagement" keys where the engine reads them. */
  @Override
  public Future<Void> project(TenantContext tenant, JsonObject effective) {
    return db.inTenant(tenant, conn -> settings.put(conn, parse(effective))).mapEmpty();
  }

  /** The rules as the namespace's keys (the settings' JSON without its version). */
  public static JsonObject values(EngagementSettings rules) {
    JsonObject values = EngagementJson.settings(rules);
    values.remove("version");
    return values;
  }

  /** Which account each channel uses: the tenant's own, the platform's, or the sandbox. */
  public Future<List<JsonObject>> credentials(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, credentials::summaries))
        .map(summaries -> {
          Map<Channel, ProviderCredentials.Summary> own = new EnumMap<>(Channel.class);
          summaries.forEach(summary -> own.put(summary.channel(), summary));
          List<JsonObject> items = new ArrayList<>();
          for (Channel channel : Channel.values()) {
            ProviderCredentials.Summary mine = own.get(channel);
            items.add(mine != null ? new JsonObject().put("channel", channel.wire()).put("source", "tenant")
                .put("summary", mine.summary()).put("updatedAt", mine.updatedAt().toString())
                : new JsonObject().put("channel", channel.wire()).put("source", platformHas(channel) ? "platform" : "sandbox")
                .put("summary", new JsonObject()).putNull("updatedAt"));
          }
          return items;
        });
  }

  /**
   * Stores the tenant's own account for a channel, sealed. An SMS sender number is stored in E.164 (a Messaging
   * Service SID, "MG…", as sent).
   */
  public Future<JsonObject> putCredential(TenantContext ctx, Channel channel, JsonObject sent) {
    boolean senderNumber = channel == Channel.SMS && sent.getString("from") != null
        && !sent.getString("from").startsWith("MG");
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> senderNumber ? phones.normalised(ctx.tenantId(), sent, "from", "/from")
            : Future.succeededFuture(sent))
        .compose(body -> db.inTenant(ctx, conn -> credentials.put(conn, ctx, channel, account(channel, body))))
        .onSuccess(summary -> senders.forget(ctx.tenantId()))
        .map(summary -> new JsonObject().put("channel", channel.wire()).put("source", "tenant").put("summary", summary)
            .put("updatedAt", Instant.now().toString()));
  }

  /** Removes the tenant's own account for a channel; the platform's (or the sandbox) applies again. */
  public Future<Void> removeCredential(TenantContext ctx, Channel channel) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> credentials.remove(conn, channel)
            .compose(removed -> removed ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("the tenant has no account of its own for " + channel.wire())))))
        .onSuccess(v -> senders.forget(ctx.tenantId()));
  }

  private boolean platformHas(Channel channel) {
    return switch (channel) {
      case PUSH -> platform.push() != null;
      case SMS -> platform.sms() != null;
      case EMAIL -> platform.email() != null;
    };
  }

  private static Record account(Channel channel, JsonObject b) {
    return switch (channel) {
      case PUSH -> new FcmAccount(required(b, "projectId"), required(b, "serviceAccountJson"));
      case SMS -> new TwilioAccount(required(b, "accountSid"), required(b, "authToken"), required(b, "from"));
      case EMAIL -> {
        required(b, "host");
        if (b.getInteger("port") == null) {
          throw new Invalid("/port", "is required for email");
        }
        yield new SmtpAccount(b.getString("host"), b.getInteger("port"), b.getString("username"),
            b.getString("password"), required(b, "from"), b.getBoolean("startTls", true));
      }
    };
  }

  private static String required(JsonObject body, String field) {
    String value = body.getString(field);
    if (value == null || value.isBlank()) {
      throw new Invalid("/" + field, "is required for this channel");
    }
    return value;
  }

  private static EngagementSettings parse(JsonObject b) {
    JsonObject quiet = b.getJsonObject("quietHours");
    Set<Category> critical = EnumSet.noneOf(Category.class);
    b.getJsonArray("criticalCategories").forEach(c -> critical.add(Category.fromWire((String) c)));
    List<Integer> offsets = new ArrayList<>();
    b.getJsonArray("reminderOffsetsMinutes").forEach(o -> offsets.add(((Number) o).intValue()));
    Map<Channel, Set<Sensitivity>> variables = new EnumMap<>(Channel.class);
    JsonObject byChannel = b.getJsonObject("channelVariables");
    for (Channel channel : Channel.values()) {
      Set<Sensitivity> classes = EnumSet.noneOf(Sensitivity.class);
      byChannel.getJsonArray(channel.wire(), new JsonArray()).forEach(s -> classes.add(Sensitivity.fromWire((String) s)));
      variables.put(channel, classes);
    }
    return new EngagementSettings(PreferenceService.zone(b.getString("timeZone")),
        LocalTime.parse(quiet.getString("start")), LocalTime.parse(quiet.getString("end")), b.getInteger("dailyCap"),
        critical, offsets, b.getInteger("followUpDays"), b.getInteger("refillLeadDays"),
        b.getInteger("surveyDelayHours"), PreferenceService.locale(b.getString("defaultLocale")), variables, 0);
  }
}
