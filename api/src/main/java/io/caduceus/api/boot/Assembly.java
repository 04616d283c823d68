package io.caduceus.api.boot;

import io.caduceus.api.appointment.AppointmentHandlers;
import io.caduceus.api.appointment.AppointmentService;
import io.caduceus.api.audit.AuditHandlers;
import io.caduceus.api.audit.AuditRepairs;
import io.caduceus.api.audit.AuditSealer;
import io.caduceus.api.audit.AuditService;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.auth.AccessTokens;
import io.caduceus.api.auth.AuthHandlers;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.auth.RevocationSync;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.auth.SessionRepository;
import io.caduceus.api.auth.SigningKeys;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.billing.AdjudicationService;
import io.caduceus.api.billing.BillingHandlers;
import io.caduceus.api.billing.ChargeService;
import io.caduceus.api.billing.ClaimExchange;
import io.caduceus.api.billing.ClaimService;
import io.caduceus.api.billing.CoverageService;
import io.caduceus.api.billing.EligibilityService;
import io.caduceus.api.billing.ExchangeSeal;
import io.caduceus.api.billing.FeeService;
import io.caduceus.api.demo.DemoServices;
import io.caduceus.api.encounter.EncounterHandlers;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.exchange.Exchange;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.caduceus.api.exchange.ExchangeEnvelope;
import io.caduceus.api.http.Contract;
import io.caduceus.api.http.ContractRoutes;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.QuotaHandler;
import io.caduceus.api.http.TenantResolver;
import io.caduceus.api.lab.LabExchange;
import io.caduceus.api.lab.LabOrderHandlers;
import io.caduceus.api.lab.LabOrderService;
import io.caduceus.api.lab.LabWorkService;
import io.caduceus.api.onboarding.InvitationHandlers;
import io.caduceus.api.onboarding.InvitationService;
import io.caduceus.api.onboarding.PlatformHandlers;
import io.caduceus.api.onboarding.PlatformService;
import io.caduceus.api.onboarding.QuotaService;
import io.caduceus.api.onboarding.RegistrationHandlers;
import io.caduceus.api.onboarding.RegistrationService;
import io.caduceus.api.onboarding.TenantAdminHandlers;
import io.caduceus.api.onboarding.TenantAdminService;
import io.caduceus.api.onboarding.WebOriginService;
import io.caduceus.api.ops.ContractHandlers;
import io.caduceus.api.ops.Draining;
import io.caduceus.api.ops.HealthHandlers;
import io.caduceus.api.ops.MetricsHandlers;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.partner.PartnerHandlers;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.api.patient.PatientHandlers;
import io.caduceus.api.portal.AccessLogService;
import io.caduceus.api.portal.PatientSources;
import io.caduceus.api.portal.PortalHandlers;
import io.caduceus.api.portal.PortalService;
import io.caduceus.api.patient.PatientService;
import io.caduceus.api.phone.PhoneBackfill;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.api.practitioner.PractitionerHandlers;
import io.caduceus.api.practitioner.PractitionerService;
import io.caduceus.api.prescription.DispensingService;
import io.caduceus.api.prescription.InteractionKnowledgeBase;
import io.caduceus.api.prescription.InteractionRuleHandlers;
import io.caduceus.api.prescription.InteractionRuleService;
import io.caduceus.api.prescription.PrescriptionExchange;
import io.caduceus.api.prescription.PrescriptionHandlers;
import io.caduceus.api.prescription.PrescriptionService;
import io.caduceus.api.engagement.CampaignService;
import io.caduceus.api.engagement.CareRuleService;
import io.caduceus.api.engagement.CrmHandlers;
import io.caduceus.api.engagement.DeviceService;
import io.caduceus.api.engagement.ReminderScheduler;
import io.caduceus.api.engagement.SecureMessageService;
import io.caduceus.api.engagement.SurveyService;
import io.caduceus.api.engagement.EngagementHandlers;
import io.caduceus.api.engagement.EngagementSettingsService;
import io.caduceus.api.engagement.MessageService;
import io.caduceus.api.engagement.NoticeIntake;
import io.caduceus.api.engagement.PatientRecipients;
import io.caduceus.api.engagement.PreferenceService;
import io.caduceus.api.engagement.TemplateService;
import io.caduceus.api.engagement.TwilioWebhookService;
import io.caduceus.api.engagement.WebhookHandlers;
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
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxRelay;
import io.caduceus.routing.BoundedRedis;
import io.caduceus.routing.ControlPlane;
import io.caduceus.api.tiers.ArchiveJobs;
import io.caduceus.api.tiers.PlaceUpgrades;
import io.caduceus.api.tiers.TenantExports;
import io.caduceus.api.tiers.TenantImports;
import io.caduceus.api.tiers.TenantOffboarding;
import io.caduceus.api.tiers.TierHandlers;
import io.caduceus.api.tiers.TierMoves;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.quota.Bulkheads;
import io.caduceus.routing.quota.Gcra;
import io.caduceus.routing.quota.QuotaGate;
import io.caduceus.routing.quota.QuotaOverrides;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.web.WebOrigins;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The composition root: every shared component, built once per process and handed to the verticles. Nothing
 * here holds request state; the verticles run many instances over these.
 */
public final class Assembly {

  final AppConfig config;
  final Contract contract;
  final OpenAPIContract openapi;
  final ContractRoutes routes;
  final WebOrigins webOrigins;
  private final String webjarRoot;
  final PrometheusMeterRegistry registry;
  final ControlPlane controlPlane;
  final RegionRegistry regions;
  final TenantDb db;
  final TenantCatalog catalog;
  final TenantKeyring keyring;
  final Redis redisClient;
  final RedisAPI redis;
  final JWTAuth tokenVerifier;
  final RevocationSync revocationSync;
  final TenantResolver resolver;
  final QuotaHandler quotaHandler;
  final QuotaOverrides quotaOverrides;
  final Idempotency idempotency;
  final AuditTrail audit;
  final AuditSealer sealer;
  final PhoneBackfill phoneBackfill;
  final UserRepository users;
  final Passwords passwords;
  final LoginThrottle throttle;
  final AuthService auth;
  final PatientService patients;
  final PractitionerService practitioners;
  final AppointmentService appointments;
  final PlatformService platform;
  final InvitationService invitations;
  final SigningKeys signingKeys;
  final PartnerService partners;
  final EncounterService encounters;
  final LabOrderService labOrders;
  final LabWorkService labWork;
  final PrescriptionService prescriptions;
  final DispensingService dispensing;
  final InteractionRuleService interactionRules;
  final CoverageService coverages;
  final EligibilityService eligibility;
  final FeeService fees;
  final ChargeService charges;
  final ClaimService claims;
  final AdjudicationService adjudication;
  final OutboxRelay exchangeRelay;
  final OutboxRelay noticeIntake;
  final Dispatcher dispatcher;
  private final Senders providerSenders;
  private final EngagementHandlers engagementHandlers;
  private final WebhookHandlers webhookHandlers;
  private final CrmHandlers crmHandlers;
  final ReminderScheduler scheduler;
  private final AuditService auditService;
  private final TenantAdminService tenantAdmin;
  private final RegistrationService registrations;
  private final PortalService portal;
  final PlaceDoor places;
  final TierMoves tierMoves;
  final PlaceUpgrades placeUpgrades;
  final ArchiveJobs archiveJobs;
  final TenantExports exports;
  final TenantOffboarding offboarding;
  final TenantImports imports;
  private final AccessLogService accessLog;
  private final Vertx vertx;
  /** Set when the node begins to stop: readiness then answers 503. */
  final Draining draining = new Draining();

  private Assembly(Vertx vertx, AppConfig config, Infrastructure infra, PrometheusMeterRegistry registry,
                   SigningKeys signingKeys, ControlPlane controlPlane, RegionRegistry regions, Redis redisClient,
                   TenantCatalog catalog, PlacementView placements, Contract contract, OpenAPIContract openapi,
                   String webjarRoot, InteractionKnowledgeBase interactions, ShippedTemplates shippedTemplates,
                   WebOrigins webOrigins) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.signingKeys = signingKeys;
    this.controlPlane = controlPlane;
    this.regions = regions;
    this.redisClient = redisClient;
    this.contract = contract;
    this.openapi = openapi;
    this.routes = ContractRoutes.of(contract.document());
    this.webOrigins = webOrigins;
    this.webjarRoot = webjarRoot;
    this.redis = RedisAPI.api(redisClient);
    // A tenant may hold three quarters of a region pool on this node, never all of it (bulkheads).
    AppConfig.Database database = config.database();
    this.db = new TenantDb(regions, new Bulkheads(vertx, Math.max(2, database.poolSize() * 3 / 4), 512, 2_000),
        placements);
    this.catalog = catalog;
    this.keyring = new TenantKeyring(controlPlane, infra.masterKey());
    AppConfig.Security security = config.security();
    SessionRepository sessions = new SessionRepository(controlPlane);
    Revocations revocations = Revocations.create(redisClient, config.redisKeyPrefix(), security.accessTokenTtl(),
        sessions);
    this.revocationSync = revocations.sync();
    this.tokenVerifier = signingKeys.verifier();
    this.resolver = new TenantResolver(revocations, catalog, regions, placements);
    AppConfig.Quotas quotas = config.quotas();
    this.quotaOverrides = new QuotaOverrides(controlPlane, Duration.ofSeconds(30));
    this.quotaHandler = new QuotaHandler(new QuotaGate(new Gcra(redis), config.redisKeyPrefix(), quotas.fallback(),
        quotas.expectedNodes()), quotaOverrides, quotas);
    this.audit = new AuditTrail(vertx, db);
    this.idempotency = new Idempotency(db, controlPlane, infra.masterKey(), keyring, audit);
    Cursors cursors = new Cursors(infra.masterKey());
    this.sealer = new AuditSealer(db, regions, config.audit().sealBatchSize());
    this.auditService = new AuditService(db, cursors);
    this.users = new UserRepository(controlPlane);
    this.passwords = new Passwords(vertx.createSharedWorkerExecutor("password-hashing",
        Math.max(2, Runtime.getRuntime().availableProcessors())));
    this.throttle = new LoginThrottle(redis, config.redisKeyPrefix(), security.loginFailuresBeforeThrottle(),
        security.registrationsPerWindow(), security.loginThrottleWindow());
    this.auth = new AuthService(controlPlane, users, sessions, passwords,
        new AccessTokens(signingKeys, security.accessTokenTtl(), security.issuer()), revocations, throttle,
        security.refreshTokenTtl());
    PhoneNumbers phones = new PhoneNumbers(catalog);
    this.phoneBackfill = new PhoneBackfill(catalog, regions, db, audit);
    this.patients = new PatientService(db, keyring, cursors, phones);
    this.practitioners = new PractitionerService(db, users, cursors, phones);
    Outbox outbox = new Outbox();
    this.appointments = new AppointmentService(db, outbox, cursors, catalog, Clock.systemUTC());
    this.invitations = new InvitationService(controlPlane, catalog, users, passwords, throttle, auth, patients,
        cursors, db, keyring, outbox);
    this.places = new PlaceDoor(vertx, infra.placeMigrations(), controlPlane, regions);
    this.platform = new PlatformService(controlPlane, catalog, keyring, regions, invitations, auth, revocations,
        cursors, places, placements);
    this.tierMoves = new TierMoves(vertx, controlPlane, catalog, places, placements, regions,
        PLACEMENTS_REFRESH.multipliedBy(2).plusMillis(500));
    this.placeUpgrades = new PlaceUpgrades(places, placements, controlPlane, regions);
    this.archiveJobs = new ArchiveJobs(vertx, controlPlane, catalog, regions, config.dataDir().resolve("exports"));
    this.exports = new TenantExports(vertx, controlPlane, places, placements, keyring, archiveJobs);
    this.offboarding = new TenantOffboarding(vertx, controlPlane, catalog, places, placements, keyring, revocations,
        auth, exports, archiveJobs, PLACEMENTS_REFRESH.multipliedBy(2).plusMillis(500));
    this.imports = new TenantImports(vertx, controlPlane, catalog, places, placements, regions, keyring, revocations,
        archiveJobs);
    this.tenantAdmin = new TenantAdminService(controlPlane, catalog, users, auth, cursors);
    this.registrations = new RegistrationService(controlPlane, catalog, keyring, regions, users, passwords, throttle);
    this.partners = new PartnerService(controlPlane, catalog);
    this.encounters = new EncounterService(db, outbox, cursors);
    Exchange exchange = new Exchange(outbox, audit);
    ExchangeDelivery delivery = new ExchangeDelivery(db, catalog, partners, audit);
    this.labOrders = new LabOrderService(db, partners, exchange, cursors);
    this.labWork = new LabWorkService(db, partners, exchange);
    new LabExchange(exchange, outbox).register(delivery);
    this.prescriptions = new PrescriptionService(db, partners, exchange, cursors, interactions);
    this.dispensing = new DispensingService(db, partners, exchange, outbox, interactions);
    this.interactionRules = new InteractionRuleService(db, cursors);
    new PrescriptionExchange(exchange).register(delivery);
    ExchangeSeal exchangeSeal = new ExchangeSeal(infra.masterKey());
    this.coverages = new CoverageService(db, keyring, cursors);
    this.eligibility = new EligibilityService(db, catalog, keyring, partners, audit);
    this.fees = new FeeService(db, cursors);
    this.charges = new ChargeService(db, cursors);
    this.claims = new ClaimService(db, catalog, keyring, partners, exchange, exchangeSeal, cursors);
    this.adjudication = new AdjudicationService(db, keyring, partners, exchange);
    new ClaimExchange(exchange, exchangeSeal, keyring, outbox).register(delivery);
    AppConfig.Exchange relay = config.exchange();
    PatientSources patientSources = new PatientSources(users, catalog);
    this.portal = new PortalService(db, patientSources, regions, audit);
    this.accessLog = new AccessLogService(db, patientSources, regions, users, catalog, audit, cursors);
    this.exchangeRelay = new OutboxRelay(db, regions, List.of(ExchangeEnvelope.TOPIC_FAMILY), delivery, relay.batchSize(),
        relay.maxAttempts(), relay.retryBase().toMillis());

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
        new Composer(shippedTemplates), engagement.dispatch(), clock);
    this.engagementHandlers = new EngagementHandlers(new DeviceService(db, new Devices()),
        new PreferenceService(db, preferences),
        new EngagementSettingsService(db, engagementSettings, credentials, tenantSenders, engagement.accounts(),
            phones),
        new TemplateService(db, new Templates(), engagementSettings, shippedTemplates),
        new MessageService(db, messages, cursors, clock), idempotency);
    CareRuleService careRules = new CareRuleService(db, messages);
    CampaignService campaigns = new CampaignService(db, engagementSettings, messages, cursors, clock,
        engagement.dispatch().appLink());
    this.crmHandlers = new CrmHandlers(careRules, campaigns, new SurveyService(db),
        new SecureMessageService(db, users, outbox), idempotency, clock);
    this.scheduler = new ReminderScheduler(db, regions, new ScheduleLease(db, clock, UUID.randomUUID().toString()),
        engagementSettings, messages, careRules, campaigns, clock, engagement.scheduleEvery());
    this.webhookHandlers = new WebhookHandlers(new TwilioWebhookService(db, catalog, tenantSenders, messages,
        preferences, recipients, clock, phones), config.http().publicUrl() == null ? null
        : config.http().publicUrl().replaceAll("/+$", ""));
  }

  /** The contract as published and as the router's model, and where its docs viewer's files are. */
  record ParsedContract(Contract contract, OpenAPIContract model, String webjarRoot) {
  }

  /** How long a Redis command may take before its caller falls back (every user of Redis has a fallback). */
  static final Duration REDIS_DEADLINE = Duration.ofSeconds(1);

  /** How often every node re-reads which tenants live outside the shared tables; a tier move waits on it. */
  static final Duration PLACEMENTS_REFRESH = Duration.ofSeconds(1);
  /** How often every node re-reads the tenants' own web origins (CORS); the node that changes them reads at once. */
  static final Duration WEB_ORIGINS_REFRESH = Duration.ofSeconds(10);

  /** Opens the pools and Redis, registers the regions, loads the signing keys, and assembles the services. */
  static Future<Assembly> build(Vertx vertx, AppConfig config, Infrastructure infra, PrometheusMeterRegistry registry,
                                ParsedContract parsed) {
    int loops = Math.max(1, config.http().instances());
    int poolSize = config.database().poolSize();
    ControlPlane controlPlane = ControlPlane.open(vertx, infra.globalApp(), Math.max(4, poolSize / 2), loops);
    RegionRegistry regions = RegionRegistry.open(vertx, infra.regionApp(), poolSize, loops);
    Redis redisClient = new BoundedRedis(Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(infra.redisUrl())
        .setMaxPoolSize(Math.max(8, loops * 4))
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(8192)), REDIS_DEADLINE);
    TenantCatalog catalog = new TenantCatalog(controlPlane, Duration.ofSeconds(10));
    // Read and checked once, on a worker, while the catalog and keys load; an invalid file fails the start.
    Future<InteractionKnowledgeBase> interactions = vertx.executeBlocking(InteractionKnowledgeBase::shipped, false);
    Future<ShippedTemplates> templates = vertx.executeBlocking(ShippedTemplates::load, false);
    Future<PlacementView> placements = PlacementView.load(vertx, controlPlane, PLACEMENTS_REFRESH.toMillis());
    Future<WebOrigins> webOrigins = WebOrigins.load(vertx, controlPlane, config.http().cors(),
        WEB_ORIGINS_REFRESH.toMillis());
    return catalog.registerRegions(config.database().regionNames())
        .compose(v -> SigningKeys.load(vertx, controlPlane, infra.masterKey(), config.security().issuer()))
        .compose(keys -> Future.all(interactions, templates, placements, webOrigins).map(all -> new Assembly(vertx,
            config, infra, registry, keys, controlPlane, regions, redisClient, catalog, placements.result(),
            parsed.contract(), parsed.model(), parsed.webjarRoot(), interactions.result(), templates.result(),
            webOrigins.result())));
  }

  /** The services the demo seeding drives. */
  DemoServices demoServices() {
    return new DemoServices(regions.regions(), controlPlane, catalog, keyring, users, passwords, platform, patients, practitioners,
        appointments, partners, fees, coverages);
  }

  /** Binds every operation of the contract to its handler. */
  void bind(Operations ops) {
    new HealthHandlers(controlPlane, regions, redis, revocationSync::trusted, draining).bind(ops);
    new ContractHandlers(vertx, contract, new ServerUrl(config.http().publicUrl(), config.http().trustedProxies()),
        webjarRoot).bind(ops);
    new MetricsHandlers(vertx, registry, config.metrics()).bind(ops);
    new AuthHandlers(auth, idempotency, signingKeys).bind(ops);
    new PlatformHandlers(platform, new QuotaService(catalog, quotaOverrides, config.quotas()), idempotency)
        .bind(ops);
    new TenantAdminHandlers(tenantAdmin, invitations, new WebOriginService(controlPlane, webOrigins), idempotency)
        .bind(ops);
    new InvitationHandlers(invitations).bind(ops);
    new PatientHandlers(patients, idempotency).bind(ops);
    new PractitionerHandlers(practitioners, idempotency).bind(ops);
    new AppointmentHandlers(appointments, idempotency).bind(ops);
    new AuditHandlers(auditService, new AuditRepairs(db, catalog, regions, audit)).bind(ops);
    new RegistrationHandlers(registrations).bind(ops);
    new PartnerHandlers(partners, idempotency).bind(ops);
    new EncounterHandlers(encounters, idempotency).bind(ops);
    new LabOrderHandlers(labOrders, labWork, idempotency).bind(ops);
    new PrescriptionHandlers(prescriptions, dispensing, idempotency).bind(ops);
    new InteractionRuleHandlers(interactionRules, idempotency).bind(ops);
    new BillingHandlers(coverages, eligibility, fees, charges, claims, adjudication, idempotency).bind(ops);
    new PortalHandlers(portal, accessLog).bind(ops);
    new TierHandlers(tierMoves, placeUpgrades, exports, offboarding, imports, archiveJobs).bind(ops);
    engagementHandlers.bind(ops);
    webhookHandlers.bind(ops);
    crmHandlers.bind(ops);
  }

  /** Closes the pools and the Redis client. */
  Future<Void> close() {
    db.stop();
    redisClient.close();
    return Future.join(providerSenders.close(), regions.close(), controlPlane.close()).mapEmpty();
  }
}
