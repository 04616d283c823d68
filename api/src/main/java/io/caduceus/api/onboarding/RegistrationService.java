package io.caduceus.api.onboarding;

import io.caduceus.api.account.EmailVerifications;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.auth.User;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.NewTenant;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Self-service registration of a lab, pharmacy or insurer. The tenant is created {@code pending}, with its data key
 * and its first admin's account and membership, in one control-plane transaction; nobody can act in it until the
 * platform owner approves it. An existing account registers by proving its password, so nobody can attach
 * someone else's account to a new tenant. The registration is recorded in the new tenant's own audit trail. A new
 * admin account starts with its address unverified and is mailed a link to confirm it ({@link EmailVerifications}).
 */
public final class RegistrationService {

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final RegionRegistry regions;
  private final UserRepository users;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final EmailVerifications verifications;

  public RegistrationService(ControlPlane controlPlane, TenantCatalog catalog, TenantKeyring keyring,
                             RegionRegistry regions, UserRepository users, Passwords passwords,
                             LoginThrottle throttle, EmailVerifications verifications) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.keyring = keyring;
    this.regions = regions;
    this.users = users;
    this.passwords = passwords;
    this.throttle = throttle;
    this.verifications = verifications;
  }

  /**
   * Registers an organisation and its admin; the tenant waits for approval. The request's audit {@code record} is
   * written in the new tenant's trail, as its admin.
   */
  public Future<Tenant> register(JsonObject body, String address, String requestId, OperationAudit record) {
    JsonObject admin = body.getJsonObject("admin");
    String email = admin.getString("email");
    return throttle.admitRegistration(address)
        .map(v -> TenantDraft.of(body, regions, TenantStatus.PENDING))
        .compose(draft -> users.byEmail(email).compose(existing -> existing.isPresent()
            ? proveExisting(existing.get(), admin.getString("password"), address).map(id -> new Admin(id, null))
            : newAdmin(admin))
            .compose(who -> create(draft, who, email, admin.getString("displayName"))
                .onSuccess(tenant -> {
                  record.actingFor(registrar(tenant, who, requestId)).audit().about(tenant.id().value());
                  if (who.newPasswordHash() != null) {
                    verifications.mailAfterRegistration(who.userId());
                  }
                })));
  }

  /** The admin to be: an existing user's id, or a new user's id and password hash. */
  private record Admin(UUID userId, String newPasswordHash) {
  }

  private Future<Tenant> create(NewTenant draft, Admin admin, String email, String displayName) {
    return controlPlane.inTransaction(conn -> catalog.create(conn, draft).compose(tenant ->
            keyring.provision(conn, tenant.id())
                .compose(v -> admin.newPasswordHash() == null ? Future.succeededFuture()
                    : users.insert(conn, admin.userId(), email, displayName, admin.newPasswordHash())
                        .compose(inserted -> verifications.tokens().markUnverified(conn, admin.userId())))
                .compose(v -> users.join(conn, admin.userId(), tenant.id(), List.of("tenant_admin"), null))
                .map(tenant)))
        .recover(failure -> {
          if (ConstraintViolation.of(failure, "tenant_slug_key")) {
            return Future.failedFuture(new Conflict("another tenant has this slug"));
          }
          if (ConstraintViolation.of(failure, "app_user_email")) {
            return Future.failedFuture(new Conflict("an account with this email was just created; retry"));
          }
          return Future.failedFuture(failure);
        });
  }

  /** A new account for the admin, which needs a name to show beside the email. */
  private Future<Admin> newAdmin(JsonObject admin) {
    String displayName = admin.getString("displayName");
    if (displayName == null || displayName.isBlank()) {
      return Future.failedFuture(new Invalid("/admin/displayName", "required for a new account"));
    }
    return passwords.hash(admin.getString("password")).map(hash -> new Admin(UuidV7.next(), hash));
  }

  private Future<UUID> proveExisting(User user, String password, String address) {
    if (!user.active()) {
      return Future.failedFuture(new Forbidden("this account is disabled"));
    }
    return passwords.verify(password, user.passwordHash()).compose(matches -> matches
        ? Future.succeededFuture(user.id())
        : throttle.failed(address).compose(v -> Future.failedFuture(new Unauthorized(
            "an account with this email exists; enter its current password to register with it"))));
  }

  private static TenantContext registrar(Tenant tenant, Admin admin, String requestId) {
    return TenantContext.system(tenant.id(), tenant.dataRegion(), tenant.tier(), admin.userId(), Set.of(), requestId);
  }
}
