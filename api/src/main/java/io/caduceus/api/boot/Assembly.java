package io.caduceus.api.boot;

import io.caduceus.api.audit.AuditHandlers;
import io.caduceus.api.audit.AuditRepairs;
import io.caduceus.api.audit.AuditSealer;
import io.caduceus.api.audit.AuditService;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.auth.AuthHandlers;
import io.caduceus.api.auth.SigningKeys;
import io.caduceus.api.auth.mfa.MfaHandlers;
import io.caduceus.api.auth.mfa.MfaService;
import io.caduceus.api.auth.mfa.RecoveryNotices;
import io.caduceus.api.auth.mfa.SecondFactor;
import io.caduceus.api.auth.mfa.TotpSecrets;
import io.caduceus.api.config.ConfigNamespaces;
import io.caduceus.api.demo.DemoServices;
import io.caduceus.api.engagement.EngagementSettingsService;
import io.caduceus.api.http.Contract;
import io.caduceus.api.http.ContractRoutes;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.QuotaHandler;
import io.caduceus.api.http.QuotaLimits;
import io.caduceus.api.onboarding.QuotaService;
import io.caduceus.api.onboarding.WebOriginService;
import io.caduceus.api.ops.ContractHandlers;
import io.caduceus.api.ops.Draining;
import io.caduceus.api.ops.HealthHandlers;
import io.caduceus.api.ops.MetricsHandlers;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.api.roles.AccessChanges;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.phone.PhoneBackfill;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.api.prescription.InteractionKnowledgeBase;
import io.caduceus.api.roles.RoleHandlers;
import io.caduceus.api.telehealth.SessionLinks;
import io.caduceus.api.telehealth.TelehealthSettingsService;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.routing.BoundedRedis;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.ControlPlaneChanges;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.ServedTenants;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.quota.Bulkheads;
import io.caduceus.routing.quota.Gcra;
import io.caduceus.routing.quota.QuotaGate;
import io.caduceus.routing.web.WebOrigins;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;

/**
 * The composition root: every shared component, built once per process and handed to the verticles, and one wiring
 * per area built on them. Nothing here holds request state; the verticles run many instances over these.
 */
public final class Assembly {

  final AppConfig config;
  final Contract contract;
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
  final SigningKeys signingKeys;
  final QuotaHandler quotaHandler;
  final Idempotency idempotency;
  final AuditTrail audit;
  final AuditSealer sealer;
  private final AuditService auditService;
  final PhoneBackfill phoneBackfill;
  /** The tenants of this node's regions, for the background work that visits each. */
  final ServedTenants servedTenants;
  final AccessWiring access;
  final MfaService mfa;
  final TotpSecrets totpSecrets;
  final ExchangeWiring exchanges;
  final ClinicalWiring clinical;
  final BillingWiring billing;
  final PortalWiring portal;
  final TierWiring tiers;
  final OnboardingWiring onboarding;
  final IdentityWiring identity;
  final EngagementWiring engagement;
  final AccountWiring account;
  final VideoWiring video;
  final TelehealthWiring telehealth;
  final LiveWiring live;
  final ScimWiring scim;
  final FhirWiring fhir;
  final BulkWiring bulk;
  final ConnectorWiring connectors;
  final OrganisationWiring organisation;
  final ConfigWiring configuration;
  /** The node's one LISTEN on the control plane (flags, modules, configuration); started once all subscribed. */
  final ControlPlaneChanges controlPlaneChanges;
  final FeatureWiring features;
  private final Vertx vertx;
  /** Set when the node begins to stop: readiness then answers 503. */
  final Draining draining = new Draining();

  private Assembly(Vertx vertx, AppConfig config, Infrastructure infra, PrometheusMeterRegistry registry,
                   SigningKeys signingKeys, ControlPlane controlPlane, RegionRegistry regions, Redis redisClient,
                   TenantCatalog catalog, PlacementView placements, Contract contract,
                   String webjarRoot, InteractionKnowledgeBase interactions, ShippedTemplates shippedTemplates,
                   WebOrigins webOrigins, ConfigNamespaces configNamespaces, ControlPlaneChanges controlPlaneChanges,
                   FeatureState featureState) {
    this.vertx = vertx;
    this.controlPlaneChanges = controlPlaneChanges;
    this.config = config;
    this.registry = registry;
    this.signingKeys = signingKeys;
    this.controlPlane = controlPlane;
    this.regions = regions;
    this.redisClient = redisClient;
    this.contract = contract;
    this.routes = contract.routes();
    this.webOrigins = webOrigins;
    this.webjarRoot = webjarRoot;
    this.redis = RedisAPI.api(redisClient);
    // A tenant may hold three quarters of a region pool on this node, never all of it (bulkheads).
    AppConfig.Database database = config.database();
    this.db = new TenantDb(regions, new Bulkheads(vertx, Math.max(2, database.poolSize() * 3 / 4), 512, 2_000),
        placements);
    this.catalog = catalog;
    this.keyring = new TenantKeyring(controlPlane, infra.masterKey());
    this.access = new AccessWiring(vertx, config, controlPlane, regions, catalog, placements, redisClient, redis,
        signingKeys, new GroupsInForce(db));
    this.audit = new AuditTrail(vertx, db);
    this.idempotency = new Idempotency(db, controlPlane, infra.masterKey(), keyring, audit);
    Cursors cursors = new Cursors(infra.masterKey());
    this.sealer = new AuditSealer(db, regions, config.audit().sealBatchSize());
    this.auditService = new AuditService(db, cursors);
    PhoneNumbers phones = new PhoneNumbers(catalog);
    this.servedTenants = new ServedTenants(catalog, regions);
    this.phoneBackfill = new PhoneBackfill(servedTenants, db, audit);
    Shared shared = new Shared(vertx, config, controlPlane, regions, placements, db, catalog, keyring, redis, audit,
        idempotency, cursors, phones, new Outbox());
    AppConfig.Quotas quotas = config.quotas();
    // The node's configured quotas are the "quotas" namespace's defaults, under its global, region and tenant levels.
    this.configuration = new ConfigWiring(shared, access, configNamespaces.withDefaults(QuotaLimits.NAMESPACE,
        new JsonObject().put("tenant", QuotaLimits.json(quotas.tenant())).put("user", QuotaLimits.json(quotas.user()))),
        controlPlaneChanges);
    this.quotaHandler = new QuotaHandler(new QuotaGate(new Gcra(redis), config.redisKeyPrefix(), quotas.fallback(),
        quotas.expectedNodes()), new QuotaLimits(configuration.effective), quotas);
    this.exchanges = new ExchangeWiring(shared, featureState);
    this.clinical = new ClinicalWiring(shared, access, exchanges, interactions, new SessionLinks(),
        configuration.effective);
    this.billing = new BillingWiring(shared, exchanges, infra.masterKey());
    this.portal = new PortalWiring(shared, access.users, configuration.effective);
    this.tiers = new TierWiring(shared, access, infra.placeMigrations(), PLACEMENTS_REFRESH);
    this.account = new AccountWiring(shared, access);
    this.onboarding = new OnboardingWiring(shared, access, clinical.patients, tiers.places, account.verifications);
    this.scim = new ScimWiring(controlPlane, catalog, regions, placements, access.users, access.auth);
    this.identity = new IdentityWiring(shared, access, scim.services.mappedMembers());
    this.engagement = new EngagementWiring(shared, access.users, shippedTemplates, access.configStore,
        configuration.effective, featureState);
    this.totpSecrets = new TotpSecrets(infra.masterKey());
    this.mfa = new MfaService(access.mfa, totpSecrets, new SecondFactor(access.mfa, totpSecrets, access.throttle),
        access.auth, access.users, new RecoveryNotices(catalog, db, shared.outbox()), "Caduceus");
    this.video = new VideoWiring(shared);
    this.telehealth = new TelehealthWiring(shared, video.rooms, access.throttle, access.configStore,
        configuration.service);
    this.live = new LiveWiring(shared, access, contract::operation, webOrigins, telehealth.telehealth);
    live.meter(registry);
    this.organisation = new OrganisationWiring(shared, access.users,
        new AccessChanges(controlPlane, access.revocations));
    this.fhir = new FhirWiring(shared, clinical, billing, auditService, organisation.facilities);
    this.bulk = new BulkWiring(shared, fhir);
    this.connectors = new ConnectorWiring(shared, clinical, fhir.model);
    configuration.service.project(EngagementSettingsService.NAMESPACE, engagement.settingsService);
    configuration.service.project(TelehealthSettingsService.NAMESPACE, telehealth.settings);
    this.features = new FeatureWiring(shared, featureState);
  }

  /**
   * The contract as published, and where its docs viewer's files are. The router's model is not part of it: the
   * assembly does not wait for it ({@link ApiVerticle} takes it).
   */
  record ParsedContract(Contract contract, String webjarRoot) {
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
    Future<ConfigNamespaces> configNamespaces = vertx.executeBlocking(ConfigNamespaces::shipped, false);
    Future<PlacementView> placements = PlacementView.load(vertx, controlPlane, PLACEMENTS_REFRESH.toMillis());
    Future<WebOrigins> webOrigins = WebOrigins.load(vertx, controlPlane, config.http().cors(),
        WEB_ORIGINS_REFRESH.toMillis());
    // The keys do not need the regions registered: both are read and written at once.
    Future<SigningKeys> keys = SigningKeys.load(vertx, controlPlane, infra.masterKey(), config.security().issuer());
    ControlPlaneChanges controlPlaneChanges = new ControlPlaneChanges(vertx, infra.globalApp());
    Future<FeatureState> features = FeatureState.load(controlPlane).map(f -> f.follow(controlPlaneChanges));
    return Future.all(catalog.registerRegions(config.database().regionNames()), keys)
        .compose(v -> Future.all(interactions, templates, placements, webOrigins, features, configNamespaces)
            .map(all -> new Assembly(vertx, config, infra, registry, keys.result(), controlPlane, regions, redisClient,
                catalog, placements.result(), parsed.contract(), parsed.webjarRoot(), interactions.result(),
                templates.result(), webOrigins.result(), configNamespaces.result(), controlPlaneChanges,
                features.result())))
        // Listening first, then one full read of the configuration: nothing changed meanwhile is missed (the flags'
        // state re-reads itself whenever its channel is subscribed).
        .compose(a -> controlPlaneChanges.start().compose(v -> a.configuration.view.resync()).map(a));
  }

  /** The services the demo seeding drives. */
  DemoServices demoServices() {
    return new DemoServices(regions.regions(), controlPlane, catalog, keyring, access.users, access.passwords,
        onboarding.platform, clinical.patients, clinical.practitioners, clinical.appointments, exchanges.partners,
        billing.fees, billing.coverages, telehealth.settings, access.mfa, totpSecrets, organisation.facilities,
        organisation.careTeams, organisation.staffGroups);
  }

  /** Binds every operation of the contract to its handler. */
  void bind(Operations ops) {
    new HealthHandlers(controlPlane, regions, redis, access.revocationSync::trusted, draining).bind(ops);
    ServerUrl serverUrl = new ServerUrl(config.http().publicUrl(), config.http().trustedProxies());
    new ContractHandlers(vertx, contract, serverUrl, webjarRoot).bind(ops);
    new MetricsHandlers(vertx, registry, config.metrics()).bind(ops);
    new AuthHandlers(access.auth, idempotency, signingKeys).bind(ops);
    account.bind(ops);
    new MfaHandlers(mfa).bind(ops);
    new RoleHandlers(controlPlane, access.revocations, access.memberAccesses, access.groupsInForce).bind(ops);
    onboarding.bind(ops, idempotency, new QuotaService(catalog, configuration.service,
        access.configStore, configuration.effective),
        new WebOriginService(controlPlane, webOrigins));
    identity.bind(ops, new ServerUrl(config.http().publicUrl(), config.http().trustedProxies()));
    new AuditHandlers(auditService, new AuditRepairs(db, catalog, regions, audit)).bind(ops);
    exchanges.bind(ops, idempotency);
    clinical.bind(ops, idempotency);
    billing.bind(ops, idempotency);
    portal.bind(ops);
    tiers.bind(ops);
    engagement.bind(ops);
    video.bind(ops);
    telehealth.bind(ops);
    live.bind(ops, idempotency);
    scim.bind(ops, serverUrl);
    fhir.bind(ops, serverUrl);
    new SmartWiring(config, controlPlane, access.revocations, signingKeys, serverUrl, db, clinical.patients,
        clinical.encounters, vertx).bind(ops);
    bulk.bind(ops, serverUrl);
    connectors.bind(ops);
    organisation.bind(ops);
    configuration.bind(ops);
    features.bind(ops);
  }

  /** Closes the pools and the Redis client. */
  Future<Void> close() {
    db.stop();
    redisClient.close();
    return Future.join(engagement.providerSenders.close(), video.close(), controlPlaneChanges.stop(), regions.close(),
            controlPlane.close())
        .mapEmpty();
  }
}
