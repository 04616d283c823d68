package io.caduceus.api.onboarding;

import io.caduceus.routing.keys.SecretTokens;
import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.account.EmailVerifications;
import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.auth.SessionGrant;
import io.caduceus.api.auth.User;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.api.patient.PatientService;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Single-use, expiring invitations: a tenant admin (or a receptionist, for patient accounts) invites by email
 * with roles; accepting sets the new user's password, or proves an existing user's, and joins the tenant. Each
 * operation's audit record is declared in the contract; the service names the patient an invitation is for.
 */
public final class InvitationService {

  private static final Duration VALIDITY = Duration.ofDays(7);

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final UserRepository users;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final AuthService auth;
  private final PatientService patients;
  private final Cursors cursors;
  private final TenantDb db;
  private final TenantKeyring keyring;
  private final Outbox outbox;
  private final EmailVerifications verifications;
  private final InvitationRepository repository = new InvitationRepository();

  public InvitationService(ControlPlane controlPlane, TenantCatalog catalog, UserRepository users, Passwords passwords,
                           LoginThrottle throttle, AuthService auth, PatientService patients, Cursors cursors,
                           TenantDb db, TenantKeyring keyring, Outbox outbox, EmailVerifications verifications) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.users = users;
    this.passwords = passwords;
    this.throttle = throttle;
    this.auth = auth;
    this.patients = patients;
    this.cursors = cursors;
    this.db = db;
    this.keyring = keyring;
    this.outbox = outbox;
    this.verifications = verifications;
  }

  /**
   * Invites someone to the caller's active tenant. A staff invitation's token is returned for the admin to pass
   * on. A patient invitation goes only to the email on the patient's record, through the outbox ({@link
   * InvitationNotice}, the token sealed), and its token is never shown to the inviter: whoever holds it gets the
   * patient's view of the chart. An inviter whose own address is unverified (a self-registered admin who has not
   * confirmed it) may not invite anyone yet (403).
   */
  public Future<InvitationCreated> create(TenantContext ctx, JsonObject body) {
    List<String> roles = new ArrayList<>();
    body.getJsonArray("roles").forEach(r -> roles.add((String) r));
    UUID patientId = body.getString("patientId") == null ? null : UUID.fromString(body.getString("patientId"));
    String email = body.getString("email").trim();
    Permission needed = roles.equals(List.of("patient")) ? Permission.TENANT_INVITE_PATIENTS
        : Permission.TENANT_USERS_MANAGE;
    ctx.audit().patient(patientId);
    return Access.check(ctx, needed)
        .compose(v -> verifications.requireVerified(ctx.userId(), "inviting anyone"))
        .compose(v -> catalog.find(ctx.tenantId()))
        .compose(tenant -> {
          RoleRules.check(tenant.orElseThrow().kind(), roles, patientId);
          return patientId == null ? Future.<Void>succeededFuture() : requireEmailOnFile(ctx, patientId, email);
        })
        .compose(v -> controlPlane.inTransaction(conn -> issue(conn, ctx.tenantId(), email, roles, patientId,
            ctx.userId())))
        .compose(created -> patientId == null ? Future.succeededFuture(created) : deliver(ctx, created));
  }

  private Future<Void> requireEmailOnFile(TenantContext ctx, UUID patientId, String email) {
    return patients.emailOnFile(ctx, patientId).compose(onFile -> onFile.filter(email::equalsIgnoreCase).isPresent()
        ? Future.succeededFuture()
        : Future.failedFuture(new Unprocessable("a patient account is offered only to the email on the patient's"
            + " record")));
  }

  private Future<InvitationCreated> deliver(TenantContext ctx, InvitationCreated created) {
    Invitation inv = created.invitation();
    return keyring.keys(ctx.tenantId())
        .compose(keys -> db.inTenant(ctx, conn -> outbox.append(conn, ctx.tenantId(),
            InvitationNotice.of(keys, inv, created.token()))))
        .map(id -> created.delivered())
        .recover(failure -> repository.revoke(controlPlane.pool(), ctx.tenantId(), inv.id())
            .transform(revoked -> Future.failedFuture(failure)));
  }

  /** Creates an invitation inside the caller's control-plane transaction (used when onboarding a tenant). */
  public Future<InvitationCreated> issue(SqlConnection conn, TenantId tenant, String email, List<String> roles,
                                         UUID patientId, UUID invitedBy) {
    String token = SecretTokens.next();
    return repository.insert(conn, tenant, email.trim(), roles, patientId, SecretTokens.hash(token), invitedBy,
            Instant.now().plus(VALIDITY))
        .map(invitation -> new InvitationCreated(invitation, token));
  }

  /** The active tenant's invitations, newest first. */
  public Future<Page<Invitation>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      Position after = cursors.after(ctx, "invitations", "", cursor);
      return repository.list(controlPlane.pool(), ctx.tenantId(), after.at(), after.id(), limit + 1)
          .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "invitations", "",
              last.createdAt(), last.id())));
    });
  }

  /** Makes a pending invitation of the active tenant unusable. */
  public Future<Void> revoke(TenantContext ctx, UUID invitationId) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repository.revoke(controlPlane.pool(), ctx.tenantId(), invitationId))
        .compose(revoked -> revoked ? Future.<Void>succeededFuture()
            : repository.exists(controlPlane.pool(), ctx.tenantId(), invitationId).compose(exists -> exists
                ? Future.<Void>failedFuture(new Conflict("the invitation is no longer pending"))
                : Future.<Void>failedFuture(new NotFound("no such invitation"))));
  }

  /**
   * Accepts an invitation and opens a session in its tenant. Earlier sessions of the same member in that tenant
   * end, since the invitation may have changed their roles. The acceptance is recorded in the tenant's trail, as
   * the accepting user, once they are known ({@code record} is the request's).
   */
  public Future<SessionGrant> accept(String token, String password, String displayName, String address,
                                    String requestId, OperationAudit record) {
    return pending(token).compose(found -> throttle.admit(found.invitation().email(), address)
        .compose(v -> users.byEmail(found.invitation().email()))
        .compose(existing -> existing.isPresent()
            ? proveExisting(found.invitation(), existing.get(), password, address)
            : createNew(found.invitation(), password, displayName))
        .compose(userId -> {
          record.actingFor(TenantContext.system(found.tenant().id(), found.tenant().dataRegion(),
                  found.tenant().tier(), userId, Set.of(), requestId)).audit()
              .about(found.invitation().id()).patient(found.invitation().patientId());
          return join(found.invitation(), userId)
              .compose(v -> auth.endMember(userId, found.invitation().tenantId(), "joined by invitation"))
              .compose(v -> auth.openFor(userId, found.invitation().tenantId()));
        }));
  }

  private Future<Void> join(Invitation inv, UUID userId) {
    return controlPlane.inTransaction(conn -> repository.accept(conn, inv.id(), userId)
            .compose(accepted -> accepted
                ? users.join(conn, userId, inv.tenantId(), inv.roles(), inv.patientId())
                    .compose(v -> inv.patientId() == null ? Future.<Void>succeededFuture()
                        : verifications.tokens().markVerified(conn, userId, inv.email()))
                : Future.failedFuture(new Conflict("this invitation was already used"))))
        .recover(failure -> ConstraintViolation.of(failure, "membership_one_account_per_patient")
            ? Future.failedFuture(new Conflict("this patient already has an account"))
            : Future.failedFuture(failure));
  }

  /** A pending invitation and the tenant it invites to. */
  private record Pending(Invitation invitation, Tenant tenant) {
  }

  private Future<Pending> pending(String token) {
    return repository.byTokenHash(controlPlane.pool(), SecretTokens.hash(token))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new NotFound("no such invitation"));
          }
          Invitation inv = found.get();
          if (!"pending".equals(inv.status())) {
            return Future.failedFuture(new Conflict("this invitation is " + inv.status()));
          }
          return catalog.findFresh(inv.tenantId()).compose(t -> t.isPresent() && t.get().isActive()
              ? Future.succeededFuture(new Pending(inv, t.get()))
              : Future.failedFuture(new Forbidden("the tenant is not active")));
        });
  }

  private Future<UUID> proveExisting(Invitation inv, User user, String password, String address) {
    if (!user.active()) {
      return Future.failedFuture(new Forbidden("this account is disabled"));
    }
    return passwords.verify(password, user.passwordHash()).compose(matches -> matches
        ? Future.succeededFuture(user.id())
        : throttle.failed(address).compose(v -> Future.failedFuture(new Unauthorized(
            "an account with this email exists; enter its current password to accept"))));
  }

  private Future<UUID> createNew(Invitation inv, String password, String displayName) {
    if (displayName == null || displayName.isBlank()) {
      return Future.failedFuture(new Invalid("/displayName", "required for a new account"));
    }
    UUID userId = UuidV7.next();
    return passwords.hash(password)
        .compose(hashed -> controlPlane.inTransaction(conn -> users.insert(conn, userId, inv.email(), displayName,
            hashed)))
        .map(userId)
        .recover(failure -> ConstraintViolation.of(failure, "app_user_email")
            ? Future.failedFuture(new Conflict("an account with this email was just created; retry"))
            : Future.failedFuture(failure));
  }
}
