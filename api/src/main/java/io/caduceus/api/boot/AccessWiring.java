package io.caduceus.api.boot;

import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.api.auth.AccessTokens;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.auth.RevocationSync;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.auth.SessionRepository;
import io.caduceus.api.auth.SigningKeys;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.auth.mfa.MfaRepository;
import io.caduceus.api.http.TenantResolver;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/** Who may call: users, sessions and their revocation, logins and their throttle, and the request's tenant. */
final class AccessWiring {

  final Revocations revocations;
  final RevocationSync revocationSync;
  final JWTAuth tokenVerifier;
  final TenantResolver resolver;
  final UserRepository users;
  final Passwords passwords;
  final LoginThrottle throttle;
  final AuthService auth;
  final MfaRepository mfa;
  /** The configuration store; the MFA policy is the tenant level of its "security" namespace. */
  final ConfigStore configStore;
  final MemberAccesses memberAccesses;
  /** The node's one reader of a request's groups in force: the resolver's, and the permissions views' (grants). */
  final GroupsInForce groupsInForce;

  AccessWiring(Vertx vertx, AppConfig config, ControlPlane controlPlane, RegionRegistry regions,
               TenantCatalog catalog, PlacementView placements, Redis redisClient, RedisAPI redis,
               SigningKeys signingKeys, GroupsInForce groupsInForce) {
    AppConfig.Security security = config.security();
    SessionRepository sessions = new SessionRepository(controlPlane);
    Revocations revocations = Revocations.create(redisClient, config.redisKeyPrefix(), security.accessTokenTtl(),
        sessions);
    this.revocations = revocations;
    this.revocationSync = revocations.sync();
    this.tokenVerifier = signingKeys.verifier();
    this.memberAccesses = new MemberAccesses(controlPlane);
    this.groupsInForce = groupsInForce;
    this.resolver = new TenantResolver(revocations, catalog, regions, placements, memberAccesses,
        groupsInForce);
    this.users = new UserRepository(controlPlane);
    this.passwords = new Passwords(vertx.createSharedWorkerExecutor("password-hashing",
        Math.max(2, Runtime.getRuntime().availableProcessors())));
    this.throttle = new LoginThrottle(redis, config.redisKeyPrefix(), security.loginFailuresBeforeThrottle(),
        security.registrationsPerWindow(), security.loginThrottleWindow());
    this.configStore = new ConfigStore(controlPlane, catalog);
    this.mfa = new MfaRepository(controlPlane, configStore);
    this.auth = new AuthService(controlPlane, users, sessions, passwords,
        new AccessTokens(signingKeys, security.accessTokenTtl(), security.issuer()), revocations, throttle,
        security.refreshTokenTtl(), mfa);
  }
}
