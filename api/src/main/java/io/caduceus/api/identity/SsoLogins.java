package io.caduceus.api.identity;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.SessionGrant;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.SecretTokens;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The single sign-on login: start (to the tenant's IdP, with state, nonce and PKCE), callback (state spent once, code
 * redeemed, ID token verified, person provisioned) and, for an app, the one-time code it exchanges with its own PKCE
 * verifier, so no token ever travels in a redirect URL.
 */
public final class SsoLogins {

  private static final Duration LOGIN_TTL = Duration.ofMinutes(10);
  private static final Duration HANDOFF_TTL = Duration.ofMinutes(2);
  private static final String VERIFIER_BINDING = "sso_login/verifier";
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final IdentityProviders providers;
  private final SsoProvisioning provisioning;
  private final AuthService auth;
  private final AuditTrail trail;
  private final SsoRepository repository = new SsoRepository();

  public SsoLogins(ControlPlane controlPlane, TenantCatalog catalog, TenantKeyring keyring, IdentityProviders providers,
                   UserRepository users, AuthService auth, AuditTrail trail) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.keyring = keyring;
    this.providers = providers;
    this.provisioning = new SsoProvisioning(controlPlane, users, auth);
    this.auth = auth;
    this.trail = trail;
  }

  /** Where a callback leads: tokens for a browser that started without an app redirect, else the app's redirect. */
  public record Outcome(SessionGrant grant, String redirect) {
  }

  /**
   * Starts a login at the IdP of the tenant named by its slug or by the email's domain; the URL to send the browser
   * to. An app names one of the tenant's registered redirect URIs and its PKCE challenge (S256).
   */
  public Future<URI> start(String slug, String email, String appRedirect, String appChallenge, String callbackUri) {
    if (appRedirect != null && (appChallenge == null || !CHALLENGE.matcher(appChallenge).matches())) {
      throw new Invalid("/codeChallenge", "is required with redirectUri: the app's S256 PKCE challenge (43 characters)");
    }
    return tenant(slug, email).compose(tenant -> repository.settings(controlPlane.pool(), tenant).compose(found -> {
      SsoSettings settings = found.orElseThrow(() -> new NotFound("no tenant signs in with single sign-on so"));
      if (appRedirect != null && !settings.redirectUris().contains(appRedirect)) {
        throw new Invalid("/redirectUri", "is not one of the tenant's registered redirect URIs");
      }
      String state = SecretTokens.next();
      String nonce = SecretTokens.next();
      String verifier = new CodeVerifier().getValue();
      return Future.all(providers.discover(settings.issuer()), keyring.keys(tenant)).compose(both -> {
        byte[] sealed = both.<TenantKeys>resultAt(1).seal(VERIFIER_BINDING, verifier);
        URI authorization = providers.authorization(both.resultAt(0), settings.clientId(), callbackUri, state, nonce,
            verifier);
        return repository.addLogin(controlPlane.pool(), SecretTokens.hash(state), tenant, nonce, sealed, callbackUri,
            appRedirect, appRedirect == null ? null : appChallenge, Instant.now().plus(LOGIN_TTL)).map(authorization);
      });
    }));
  }

  /**
   * Finishes a login the IdP sent back: the state is spent whatever happens next, so it never works twice. Once the
   * person is known, the tenant's audit trail records the login ({@code record}: {@code sso.login}, or
   * {@code sso.code_issued} for an app, or its refusal) and, in a row of its own, a membership the login created
   * ({@code sso.provisioned}) or roles it changed ({@code sso.roles_updated}). No token or code is recorded.
   */
  public Future<Outcome> callback(String code, String state, String error, String requestId, OperationAudit record) {
    return controlPlane.inTransaction(conn -> repository.spendLogin(conn, SecretTokens.hash(state)))
        .compose(spent -> {
          SsoRepository.PendingLogin login = spent.orElseThrow(() -> new Unauthorized(
              "this sign-in is unknown, expired or already finished; start again"));
          if (error != null || code == null) {
            throw new Unauthorized("the identity provider did not sign you in");
          }
          return Future.all(repository.settings(controlPlane.pool(), login.tenant()), keyring.keys(login.tenant()))
              .compose(both -> {
                SsoSettings settings = both.<Optional<SsoSettings>>resultAt(0)
                    .orElseThrow(() -> new NotFound("this tenant no longer signs in with single sign-on"));
                TenantKeys keys = both.resultAt(1);
                return providers.redeem(settings.issuer(), settings.clientId(),
                        keys.open(SsoSettingsService.SECRET_BINDING, settings.sealedSecret()), code,
                        login.callbackUri(), keys.open(VERIFIER_BINDING, login.sealedVerifier()), login.nonce())
                    .compose(claims -> active(login.tenant()).compose(tenant -> {
                      TenantContext[] acting = new TenantContext[1];
                      return provisioning.provision(login.tenant(), settings, claims, userId -> {
                            acting[0] = record.actingFor(context(tenant, userId, requestId));
                            acting[0].audit().about(userId).action(login.appRedirect() == null ? "sso.login"
                                : "sso.code_issued");
                          })
                          .compose(done -> changed(acting[0], done)
                              .compose(v -> finish(login, done.userId(), amr(claims))));
                    }));
              });
        });
  }

  /**
   * Exchanges an app's one-time code, with the PKCE verifier of the challenge it started with, for its tokens; the
   * tenant's audit trail records the login ({@code record}: {@code sso.login}), or a wrong verifier's refusal.
   */
  public Future<SessionGrant> exchange(String code, String verifier, String requestId, OperationAudit record) {
    return controlPlane.inTransaction(conn -> repository.spendHandoff(conn, SecretTokens.hash(code)))
        .compose(spent -> {
          SsoRepository.Handoff handoff = spent.orElseThrow(() -> new Unauthorized(
              "this code is unknown, expired or already used; sign in again"));
          return catalog.find(handoff.tenant()).compose(tenant -> {
            tenant.ifPresent(t -> record.actingFor(context(t, handoff.userId(), requestId)).audit()
                .about(handoff.userId()));
            if (!matches(handoff.appChallenge(), verifier)) {
              throw new Unauthorized("the code verifier does not match the challenge this sign-in started with");
            }
            return auth.openSso(handoff.userId(), handoff.tenant(), handoff.idpAmr());
          });
        });
  }

  /** Drops expired logins and codes. */
  public Future<Void> purge() {
    return repository.purge(controlPlane.pool());
  }

  private Future<Outcome> finish(SsoRepository.PendingLogin login, UUID userId, List<String> amr) {
    if (login.appRedirect() == null) {
      return auth.openSso(userId, login.tenant(), amr).map(grant -> new Outcome(grant, null));
    }
    String code = SecretTokens.next();
    String separator = login.appRedirect().contains("?") ? "&" : "?";
    return repository.addHandoff(controlPlane.pool(), SecretTokens.hash(code), userId, login.tenant(),
            login.appChallenge(), amr, Instant.now().plus(HANDOFF_TTL))
        .map(v -> new Outcome(null, login.appRedirect() + separator + "code=" + code));
  }

  private Future<TenantId> tenant(String slug, String email) {
    if ((slug == null) == (email == null)) {
      throw new Invalid("/tenant", "name the tenant by exactly one of tenant (its slug) or email");
    }
    if (slug != null) {
      return repository.tenantOfSlug(controlPlane.pool(), slug.toLowerCase(Locale.ROOT)).map(found -> found
          .orElseThrow(() -> new NotFound("no tenant signs in with single sign-on by that name")));
    }
    int at = email.lastIndexOf('@');
    String domain = at < 0 ? "" : email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
    return repository.tenantsOfDomain(controlPlane.pool(), domain).map(found -> {
      if (found.isEmpty()) {
        throw new NotFound("no tenant signs in with single sign-on for that email's domain");
      }
      if (found.size() > 1) {
        throw new Conflict("several tenants sign in with that email's domain; name the tenant by its slug");
      }
      return found.get(0);
    });
  }

  private Future<Tenant> active(TenantId tenant) {
    return catalog.findFresh(tenant).compose(found -> found.filter(Tenant::isActive).isPresent()
        ? Future.succeededFuture(found.get()) : Future.failedFuture(new Forbidden("that tenant is not active")));
  }

  // The row of a membership the login created or changed, besides the login's own; the change has committed in the
  // control plane, so this is retried and logged like any control-plane change's record, never undone.
  private Future<Void> changed(TenantContext ctx, SsoProvisioning.Provisioned done) {
    String action = switch (done.change()) {
      case PROVISIONED -> "sso.provisioned";
      case ROLES_UPDATED -> "sso.roles_updated";
      case NONE -> null;
    };
    if (action == null) {
      return Future.succeededFuture();
    }
    return trail.recordChange(ctx, new AuditEvent(action, "user", done.userId(), List.of(),
        AuditEvent.Outcome.SUCCESS, null), Future.<Void>succeededFuture());
  }

  // The person acting in the tenant: a login has no token yet, so the context is the system's, for them.
  private static TenantContext context(Tenant tenant, UUID userId, String requestId) {
    return TenantContext.system(tenant.id(), tenant.dataRegion(), tenant.tier(), userId, Set.of(), requestId);
  }

  private static List<String> amr(JsonObject claims) {
    Object amr = claims.getValue("amr");
    if (amr instanceof JsonArray values) {
      return values.stream().map(String::valueOf).toList();
    }
    return amr instanceof String one ? List.of(one) : List.of();
  }

  private static boolean matches(String challenge, String verifier) {
    if (verifier == null) {
      return false;
    }
    String computed;
    try {
      computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
        challenge.getBytes(StandardCharsets.US_ASCII));
  }
}
