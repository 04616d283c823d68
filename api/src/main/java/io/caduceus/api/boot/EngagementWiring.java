package io.caduceus.api.boot;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.config.TenantLevelBackfill;
import io.caduceus.api.engagement.CampaignService;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.engagement.CareRuleService;
import io.caduceus.api.engagement.CrmHandlers;
import io.caduceus.api.engagement.DeviceService;
import io.caduceus.api.engagement.EngagementHandlers;
import io.caduceus.api.engagement.EngagementSettingsService;
import io.caduceus.api.engagement.MessageService;
import io.caduceus.api.engagement.ModuleHolds;
import io.caduceus.api.engagement.NoticeIntake;
import io.caduceus.api.engagement.PatientRecipients;
import io.caduceus.api.engagement.PreferenceService;
import io.caduceus.api.engagement.ReminderScheduler;
import io.caduceus.api.engagement.SecureMessageService;
import io.caduceus.api.engagement.SurveyService;
import io.caduceus.api.engagement.TemplateService;
import io.caduceus.api.engagement.TwilioWebhookService;
import io.caduceus.api.engagement.WebhookHandlers;
import io.caduceus.api.http.Operations;
import io.caduceus.notifications.channel.Senders;
import io.caduceus.notifications.engage.Devices;
import io.caduceus.notifications.engage.Dispatcher;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Preferences;
import io.caduceus.notifications.engage.ProviderCredentials;
import io.caduceus.notifications.engage.ProviderLimits;
import io.caduceus.notifications.engage.ScheduleLease;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Templates;
import io.caduceus.notifications.engage.TenantSenders;
import io.caduceus.notifications.outbox.OutboxRelay;
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.routing.config.ConfigStore;
import io.caduceus.routing.quota.Gcra;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * How patients are reached: notices taken in from the outbox, reminders and campaigns scheduled, messages
 * dispatched through the providers, and the CRM and webhook operations. The loops run in the engagement verticle.
 */
final class EngagementWiring {

  final Senders providerSenders;
  final OutboxRelay noticeIntake;
  final Dispatcher dispatcher;
  final ReminderScheduler scheduler;
  /** The delivery rules: the "engagement" configuration namespace's tenant level, projected into the regions. */
  final EngagementSettingsService settingsService;
  /** Brings the rules kept in the regions before the store into it (the actor "V19"). */
  final TenantLevelBackfill backfill;
  private final EngagementHandlers engagementHandlers;
  private final CrmHandlers crmHandlers;
  private final WebhookHandlers webhookHandlers;

  EngagementWiring(Shared shared, UserRepository users, ShippedTemplates shippedTemplates, ConfigStore configStore,
                   EffectiveConfig effectiveConfig, FeatureState modules) {
    var vertx = shared.vertx();
    var config = shared.config();
    var db = shared.db();
    var regions = shared.regions();
    var catalog = shared.catalog();
    var keyring = shared.keyring();
    var redis = shared.redis();
    var cursors = shared.cursors();
    var phones = shared.phones();
    var outbox = shared.outbox();
    var idempotency = shared.idempotency();
    AppConfig.Exchange relay = config.exchange();
    AppConfig.Engagement engagement = config.engagement();
    Clock clock = Clock.systemUTC();
    Messages messages = new Messages();
    Settings engagementSettings = new Settings();
    Preferences preferences = new Preferences();
    PatientRecipients recipients = new PatientRecipients(users, catalog);
    this.providerSenders = new Senders(vertx, vertx.createSharedWorkerExecutor("provider-sdk", 32),
        engagement.endpoints(), engagement.sendTimeout());
    ProviderCredentials credentials = new ProviderCredentials(keyring);
    TenantSenders tenantSenders = new TenantSenders(db, credentials, providerSenders, engagement.accounts(),
        Duration.ofSeconds(30));
    this.noticeIntake = new OutboxRelay(db, regions, NoticeIntake.FAMILIES,
        new NoticeIntake(db, keyring, messages, engagementSettings, clock, engagement.dispatch().appLink()), relay.batchSize(), relay.maxAttempts(),
        relay.retryBase().toMillis());
    this.dispatcher = new Dispatcher(db, regions, recipients, keyring, tenantSenders,
        new ProviderLimits(new Gcra(redis), config.redisKeyPrefix(), engagement.ratesPerSecond()),
        new Composer(shippedTemplates), engagement.dispatch(), new ModuleHolds(modules), clock);
    this.settingsService = new EngagementSettingsService(db, engagementSettings, credentials, tenantSenders,
        engagement.accounts(), phones, configStore);
    this.backfill = new TenantLevelBackfill(shared.servedTenants(), db, configStore,
        EngagementSettingsService.NAMESPACE, new UUID(0, 19), conn -> engagementSettings.find(conn)
        .map(rules -> rules.version() == 0 ? Optional.empty() : Optional.of(EngagementSettingsService.values(rules))));
    this.engagementHandlers = new EngagementHandlers(new DeviceService(db, new Devices()),
        new PreferenceService(db, preferences),
        settingsService,
        new TemplateService(db, new Templates(), engagementSettings, shippedTemplates),
        new MessageService(db, messages, cursors, clock), idempotency);
    CareRuleService careRules = new CareRuleService(db, messages);
    CampaignService campaigns = new CampaignService(db, engagementSettings, messages, cursors, clock,
        engagement.dispatch().appLink());
    this.crmHandlers = new CrmHandlers(careRules, campaigns, new SurveyService(db),
        new SecureMessageService(db, users, outbox, effectiveConfig), idempotency, clock);
    this.scheduler = new ReminderScheduler(db, regions, new ScheduleLease(db, clock, UUID.randomUUID().toString()),
        engagementSettings, messages, careRules, campaigns, clock, engagement.scheduleEvery(), modules);
    this.webhookHandlers = new WebhookHandlers(new TwilioWebhookService(db, catalog, tenantSenders, messages,
        preferences, recipients, clock, phones), config.http().publicUrl() == null ? null
        : config.http().publicUrl().replaceAll("/+$", ""));
  }

  /** Binds the engagement, webhook and CRM operations. */
  void bind(Operations ops) {
    engagementHandlers.bind(ops);
    webhookHandlers.bind(ops);
    crmHandlers.bind(ops);
  }
}
