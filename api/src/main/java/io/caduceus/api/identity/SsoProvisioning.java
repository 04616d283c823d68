package io.caduceus.api.identity;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Membership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Just-in-time provisioning: turns a verified ID token into a Caduceus user and membership. One person is one user
 * across tenants: found by (issuer, subject), else by an email in a domain the tenant's IdP vouches for. Their roles
 * are exactly what the tenant's mapping grants for the token's claims; none granted is a refusal, never a default.
 */
final class SsoProvisioning {

  private final ControlPlane controlPlane;
  private final UserRepository users;
  private final AuthService auth;
  private final RoleMapping mapping = new RoleMapping();
  private final SsoRepository repository = new SsoRepository();

  SsoProvisioning(ControlPlane controlPlane, UserRepository users, AuthService auth) {
    this.controlPlane = controlPlane;
    this.users = users;
    this.auth = auth;
  }

  /** What a login changed in the tenant's membership of the person, for the tenant's audit trail. */
  enum Change {
    /** A new membership (and perhaps a new user): the IdP's first login of this person in the tenant. */
    PROVISIONED,
    /** The member's roles followed the IdP's groups. */
    ROLES_UPDATED,
    /** Nothing. */
    NONE
  }

  /** The person a login provisioned, and what it changed. */
  record Provisioned(UUID userId, Change change) {
  }

  /**
   * The user the claims are, a member of the tenant with the mapped roles (created or updated). {@code identified}
   * learns the user as soon as they are known, before their membership is looked at, so a refusal can be recorded
   * against them. A membership the tenant removed stays removed: 403, and nothing is re-created.
   */
  Future<Provisioned> provision(TenantId tenant, SsoSettings settings, JsonObject claims,
                                Consumer<UUID> identified) {
    String email = email(settings, claims);
    return mapping.rules(controlPlane.pool(), tenant).compose(rules -> {
      List<String> roles = RoleMapping.roles(rules, claims);
      if (roles.isEmpty()) {
        return Future.failedFuture(new Forbidden("your identity provider's groups and claims map to no role in this "
            + "tenant; ask its administrator to map one (PUT /v1/tenants/{tenantId}/role-mapping)"));
      }
      // Two first logins of one person at once: the second insert meets the first's user, which a retry finds.
      return person(claims, email)
          .recover(failure -> ConstraintViolation.of(failure, "app_user_email") ? person(claims, email)
              : Future.failedFuture(failure))
          .compose(userId -> {
            identified.accept(userId);
            return member(tenant, userId, roles).map(change -> new Provisioned(userId, change));
          });
    });
  }

  // The user of (issuer, subject), else of the email, else a new one; linked to (issuer, subject) in one transaction.
  private Future<UUID> person(JsonObject claims, String email) {
    String issuer = claims.getString("iss");
    String subject = claims.getString("sub");
    return repository.identity(controlPlane.pool(), issuer, subject).compose(linked -> linked.isPresent()
        ? controlPlane.inTransaction(conn -> repository.link(conn, issuer, subject, linked.get()))
        : users.byEmail(email).compose(known -> controlPlane.inTransaction(conn -> (known.isPresent()
            ? Future.succeededFuture(known.get().id()) : create(conn, email, displayName(claims, email)))
            .compose(userId -> repository.link(conn, issuer, subject, userId)))));
  }

  private Future<UUID> create(SqlConnection conn, String email, String displayName) {
    UUID id = UuidV7.next();
    return users.insert(conn, id, email, displayName, null).map(id);
  }

  // A new membership, or new roles for an active one; a role change ends the member's sessions as an admin's does.
  // A removed membership (a tenant admin's removal, a SCIM deactivation) is never re-activated by a login.
  private Future<Change> member(TenantId tenant, UUID userId, List<String> roles) {
    return users.membership(userId, tenant).compose(existing -> {
      Optional<Membership> m = existing;
      if (m.isPresent() && m.get().roles().contains("patient")) {
        return Future.failedFuture(new Conflict("this person is a patient of the tenant; a patient account cannot "
            + "also sign in as staff through the identity provider"));
      }
      if (m.isPresent() && !m.get().active()) {
        return Future.failedFuture(removed());
      }
      if (m.isPresent() && new HashSet<>(m.get().roles()).equals(new HashSet<>(roles))) {
        return Future.succeededFuture(Change.NONE);
      }
      if (m.isPresent()) {
        return controlPlane.inTransaction(conn -> users.setRoles(conn, tenant, userId, roles).compose(changed -> changed
                ? Future.<Void>succeededFuture()
                : Future.<Void>failedFuture(removed())))
            .compose(v -> auth.endMember(userId, tenant, "roles changed by the identity provider"))
            .map(Change.ROLES_UPDATED);
      }
      return controlPlane.inTransaction(conn -> repository.joinNew(conn, userId, tenant, roles))
          .compose(created -> created ? Future.succeededFuture(Change.PROVISIONED) : member(tenant, userId, roles));
    });
  }

  private static Forbidden removed() {
    return new Forbidden("your membership of this tenant was removed by the organisation; signing in through its "
        + "identity provider does not restore it: ask its administrator");
  }

  // The verified email the token names, in a domain the tenant's IdP vouches for.
  private static String email(SsoSettings settings, JsonObject claims) {
    String email = claims.getValue("email") instanceof String sent ? sent : null;
    if (email == null || !email.contains("@") || Boolean.FALSE.equals(claims.getValue("email_verified"))) {
      throw new Forbidden("the identity provider sent no verified email for you");
    }
    String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    if (!settings.emailDomains().contains(domain)) {
      throw new Forbidden("your email's domain is not one this tenant's identity provider may sign in");
    }
    return email.trim();
  }

  private static String displayName(JsonObject claims, String email) {
    String name = claims.getValue("name") instanceof String sent ? sent.trim() : null;
    if (name == null || name.isBlank()) {
      name = email.substring(0, email.indexOf('@'));
    }
    return name.length() > 200 ? name.substring(0, 200) : name;
  }
}
