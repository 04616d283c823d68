package io.caduceus.api.auth.mfa;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.SessionGrant;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Multi-factor authentication for every user: enrol a TOTP authenticator (the secret shown once, confirmed by a
 * first code, ten recovery codes shown once), verify it as a login's second step and to step up a session, disable
 * it (with a current code, or a tenant admin's audited reset), and each tenant's policy of whom it requires.
 */
public final class MfaService {

  private static final int RECOVERY_CODES = 10;

  private final MfaRepository repository;
  private final TotpSecrets secrets;
  private final SecondFactor factor;
  private final AuthService auth;
  private final UserRepository users;
  private final RecoveryNotices notices;
  private final String issuer;

  public MfaService(MfaRepository repository, TotpSecrets secrets, SecondFactor factor, AuthService auth,
                    UserRepository users, RecoveryNotices notices, String issuer) {
    this.repository = repository;
    this.secrets = secrets;
    this.factor = factor;
    this.auth = auth;
    this.users = users;
    this.notices = notices;
    this.issuer = issuer;
  }

  /** The caller's second factors: whether an authenticator is enrolled, and how many recovery codes are left. */
  public Future<JsonObject> status(TenantContext ctx) {
    return repository.find(ctx.userId()).compose(found -> repository.recoveryCodesLeft(ctx.userId())
        .map(left -> new JsonObject()
            .put("totp", found.isEmpty() ? "none" : found.get().confirmed() ? "enabled" : "pending")
            .put("recoveryCodesLeft", left)));
  }

  /** Starts (or restarts) enrolling an authenticator; its secret is shown here only. 409 when one is enrolled. */
  public Future<JsonObject> beginEnrolment(TenantContext ctx) {
    byte[] secret = Totp.newSecret();
    return users.byId(ctx.userId())
        .compose(user -> user.isEmpty() ? Future.failedFuture(Unauthorized.invalidToken("the user no longer exists"))
            : repository.putPending(ctx.userId(), secrets.seal(ctx.userId(), secret)).compose(stored -> stored
                ? Future.succeededFuture(new JsonObject().put("secret", Base32.encode(secret))
                    .put("otpauthUri", Totp.uri(issuer, user.get().email(), secret)))
                : Future.failedFuture(new Conflict("an authenticator is already enrolled; disable it first"))));
  }

  /**
   * Confirms the authenticator with its first code, issues ten recovery codes (shown once), and upgrades the
   * caller's session to a multi-factor one (fresh tokens for the same session).
   */
  public Future<JsonObject> confirmEnrolment(TenantContext ctx, UUID sessionId, String code, String address) {
    List<String> codes = new ArrayList<>();
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < RECOVERY_CODES; i++) {
      String c = SecondFactor.newRecoveryCode();
      codes.add(c);
      hashes.add(SecondFactor.hash(c));
    }
    return factor.confirm(ctx.userId(), code, address)
        .compose(v -> repository.replaceRecoveryCodes(ctx.userId(), hashes))
        .compose(v -> auth.prove(sessionId, SecondFactor.METHODS))
        .map(grant -> new JsonObject().put("recoveryCodes", new JsonArray(codes)).put("session", grant.toJson()));
  }

  /** Removes the caller's authenticator and recovery codes, on a current code. */
  public Future<Void> disable(TenantContext ctx, JsonObject body, String address) {
    return verified(ctx, body, address).compose(v -> repository.remove(ctx.userId()));
  }

  /** Re-verifies a second factor and issues fresh tokens for the same session, proving a recent MFA. */
  public Future<SessionGrant> stepUp(TenantContext ctx, UUID sessionId, JsonObject body, String address) {
    return verified(ctx, body, address).compose(v -> auth.prove(sessionId, SecondFactor.METHODS));
  }

  /**
   * A login's second step: the MFA ticket and a code give the session. Recorded in the trail of the tenant the
   * session opens in, as the user; a recovery code's use also emails the user there.
   */
  public Future<SessionGrant> verifyLogin(JsonObject body, String address, String device, String requestId,
                                          OperationAudit record) {
    byte[] ticketHash = SecretTokens.hash(body.getString("mfaTicket"));
    return repository.ticket(ticketHash).compose(ticket -> {
      if (ticket.isEmpty()) {
        return Future.failedFuture(new Unauthorized("the MFA ticket is not valid or has expired; log in again"));
      }
      UUID userId = ticket.get().userId();
      return factor.verify(userId, body, address)
          .compose(kind -> repository.spendTicket(ticketHash).compose(spent -> spent
              ? auth.completeLogin(userId, ticket.get().tenant(), SecondFactor.METHODS, device)
              : Future.failedFuture(new Unauthorized("the MFA ticket is not valid or has expired; log in again")))
              .compose(grant -> notices.context(grant.active().tenantId(), userId, requestId)
                  .compose(ctx -> {
                    record.actingFor(ctx).audit().about(userId).action(action(kind));
                    return kind == SecondFactor.Kind.RECOVERY_CODE ? notices.recoveryCodeUsed(ctx, userId)
                        : Future.<Void>succeededFuture();
                  })
                  .map(grant)));
    });
  }

  /**
   * A tenant admin removes a member's authenticator (a lost phone): the member enrols again at their next login.
   * Only for a member of the admin's own tenant alone (another tenant's user is 404; a user who also belongs to other
   * organisations is theirs too, so 409).
   */
  public Future<Void> reset(TenantContext ctx, UUID userId) {
    ctx.audit().about(userId);
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> users.member(ctx.tenantId(), userId))
        .compose(member -> {
          if (member.filter(m -> "active".equals(m.status())).isEmpty()) {
            return Future.failedFuture(new NotFound("no such member"));
          }
          return users.memberships(userId);
        })
        .compose(all -> all.stream().anyMatch(m -> m.active() && !m.tenantId().equals(ctx.tenantId()))
            ? Future.failedFuture(new Conflict("this user also belongs to other organisations; the platform resets"
                + " their MFA"))
            : repository.remove(userId));
  }

  /** The active tenant's MFA policy. */
  public Future<MfaPolicy> policy(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> repository.policy(ctx.tenantId()));
  }

  /** Sets the active tenant's MFA policy; it applies to sessions opened or refreshed from now on. */
  public Future<MfaPolicy> setPolicy(TenantContext ctx, JsonObject body) {
    List<String> roles = new ArrayList<>();
    body.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add((String) r));
    String requiredFor = body.getString("requiredFor");
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      if ("roles".equals(requiredFor) == roles.isEmpty()) {
        return Future.failedFuture(new Unprocessable("name roles exactly when requiredFor is roles"));
      }
      if (roles.contains("platform_owner") || roles.contains("patient")) {
        return Future.failedFuture(new Unprocessable("a policy names staff roles only"));
      }
      return repository.putPolicy(ctx.tenantId(), new MfaPolicy(requiredFor, roles), ctx.userId());
    });
  }

  private Future<Void> verified(TenantContext ctx, JsonObject body, String address) {
    return factor.verify(ctx.userId(), body, address).compose(kind -> {
      if (kind != SecondFactor.Kind.RECOVERY_CODE) {
        return Future.succeededFuture();
      }
      ctx.audit().action("mfa.recovery_code_used");
      return notices.recoveryCodeUsed(ctx, ctx.userId());
    });
  }

  private static String action(SecondFactor.Kind kind) {
    return kind == SecondFactor.Kind.RECOVERY_CODE ? "mfa.recovery_code_used" : "mfa.verified";
  }
}
