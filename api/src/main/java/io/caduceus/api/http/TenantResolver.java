package io.caduceus.api.http;

import io.caduceus.api.access.MemberAccess;
import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.access.Role;
import io.caduceus.api.access.StepUp;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unavailable;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.api.smart.SmartAccess;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.RequestStage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantKind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns the verified token into the request's {@link TenantContext}; the one place tenant membership is checked.
 *
 * <p>The active tenant is the token's {@code tid} and nothing else. An operation marked
 * {@code x-tenant-scope: path} names a tenant in its path; naming any tenant but the active one answers 403.
 * The session must not have ended and the tenant must be active (both read on every request from the revocation
 * flags in Redis, or from the control plane while those cannot be trusted; the tenant also from the catalog),
 * and the tenant's region must be one this node serves.
 *
 * <p>An operation marked {@code x-tenant-scope: platform} (every {@code /v1/platform/} operation) is the platform's
 * own: its active tenant must be the platform tenant, whatever the caller's roles elsewhere, so a tenant's admin
 * never reaches it even for their own tenant (their tenant's own operations are under {@code /v1/tenants/}).
 *
 * <p>One exception to the region rule: an operation marked {@code x-tenant-scope: memberships} (the patient's
 * unified portal view) reads only the caller's own memberships, and only those in this node's regions, each under
 * its own tenant's scope. The region router fans it out to a node of every region the patient is registered in,
 * so such a node serves it for an active tenant of another region; everything else of that tenant stays refused.
 *
 * <p>Multi-factor rules live here too, read from the contract like the scope. A token marked {@code mfa_pending}
 * (its tenant's policy requires a second factor the session has not proved) reaches only the operations marked
 * {@code x-caduceus-mfa-pending: allowed} (enrol, verify, who am I, log out): anything else answers 403
 * {@code mfa-required}. An operation marked {@code x-caduceus-step-up: true} needs a token whose {@code amr} holds
 * {@code mfa} and whose {@code auth_time} is within {@link StepUp#MAX_AGE}: without one, the context's permissions
 * are held back ({@link StepUp#held}), so the permission guard answers a permitted caller 401 {@code step-up-required}
 * and anyone else 403 as before (a token issued before its user proved a second factor never qualifies).
 *
 * <p>A token with SMART scopes (a {@code scope} claim) is confined here too ({@link SmartAccess}): it reaches only
 * {@code /fhir/} operations, with the permissions of its roles that its scopes also allow.
 *
 * <p>The permissions are those of the token's base roles, the member's tenant roles and their grants in force
 * ({@link MemberAccesses}), read at the tenant's access version that came with the revocation flags, so a change to
 * a role, an assignment or a grant bites on the member's next request on every node (issue 15).
 */
public final class TenantResolver implements Handler<RoutingContext> {

  private final Revocations revocations;
  private final TenantCatalog catalog;
  private final RegionRegistry regions;
  private final PlacementView placements;
  private final MemberAccesses accesses;
  private final GroupsInForce groupsInForce;

  public TenantResolver(Revocations revocations, TenantCatalog catalog, RegionRegistry regions,
                        PlacementView placements, MemberAccesses accesses, GroupsInForce groupsInForce) {
    this.revocations = revocations;
    this.catalog = catalog;
    this.regions = regions;
    this.placements = placements;
    this.accesses = accesses;
    this.groupsInForce = groupsInForce;
  }

  @Override
  public void handle(RoutingContext rc) {
    Claims claims;
    try {
      claims = Claims.of(rc.user().principal());
    } catch (RuntimeException e) {
      rc.fail(Unauthorized.invalidToken("the token does not carry a valid tenant session"));
      return;
    }
    RequestStage resolving = RequestStages.start(rc, "tenant resolution");
    Future<Revocations.Standing> standing = RequestStages.start(rc, "revocation")
        .until(revocations.standing(claims.session, claims.tenant));
    Future<Optional<Tenant>> tenant = catalog.find(claims.tenant)
        .compose(cached -> standing.compose(s -> confirmed(s, cached, claims.tenant)));
    Future<MemberAccess> access = standing.compose(s -> memberAccess(claims, s));
    resolving.until(Future.all(standing, tenant, access))
        .recover(e -> Future.failedFuture(new Unavailable("session state is unavailable; retry shortly")))
        .compose(all -> scoped(rc, claims, standing.result(), tenant.result(), access.result()))
        .onSuccess(groups -> {
          try {
            TenantContext ctx = resolve(rc, claims, standing.result(), tenant.result(), access.result(), groups);
            rc.put(Requests.TENANT, ctx);
            if (ctx.tier() != IsolationTier.SHARED && !placements.knows(ctx.tenantId())) {
              // A tenant created a moment ago on another node: learn its place before touching its data.
              placements.refresh().onComplete(done -> rc.next());
            } else {
              rc.next();
            }
          } catch (RuntimeException e) {
            rc.fail(e);
          }
        })
        .onFailure(rc::fail);
  }

  /**
   * The context of a verified token outside the HTTP pipeline (a live socket, at connect and whenever it checks again):
   * the same rules as a request to an operation of no particular scope. Fails with {@link Unauthorized} for a token
   * that carries no tenant session or whose session has ended, {@link Forbidden} for a suspended tenant or one whose
   * region this node does not serve, {@link Unavailable} when the session state cannot be read.
   */
  public Future<TenantContext> standing(JsonObject principal, String requestId, String clientAddress) {
    Claims claims;
    try {
      claims = Claims.of(principal);
    } catch (RuntimeException e) {
      return Future.failedFuture(Unauthorized.invalidToken("the token does not carry a valid tenant session"));
    }
    Future<Revocations.Standing> standing = revocations.standing(claims.session, claims.tenant);
    Future<Optional<Tenant>> tenant = catalog.find(claims.tenant)
        .compose(cached -> standing.compose(s -> confirmed(s, cached, claims.tenant)));
    Future<MemberAccess> access = standing.compose(s -> memberAccess(claims, s));
    return Future.all(standing, tenant, access)
        .recover(e -> Future.failedFuture(new Unavailable("session state is unavailable; retry shortly")))
        .compose(both -> {
          Optional<Tenant> found = tenant.result();
          if (found.isEmpty() || !found.get().isActive()) {
            return Future.failedFuture(new Forbidden("the tenant is suspended"));
          }
          if (standing.result().sessionEnded()) {
            return Future.failedFuture(Unauthorized.invalidToken("this session has ended; log in again"));
          }
          if (claims.mfaPending) {
            return Future.failedFuture(Forbidden.mfaRequired());
          }
          if (claims.scope != null) {
            return Future.failedFuture(new Forbidden("a token with SMART scopes reaches only the FHIR API"));
          }
          if (!regions.serves(found.get().dataRegion())) {
            return Future.failedFuture(new Forbidden("the tenant's data region is not served by this node"));
          }
          TenantContext ctx = new TenantContext(claims.tenant, found.get().dataRegion(), found.get().tier(),
              claims.user, claims.roles, permissions(claims, access.result(), Set.of()), claims.patient, requestId,
              clientAddress, null).withSession(claims.session);
          return ctx.tier() != IsolationTier.SHARED && !placements.knows(ctx.tenantId())
              ? placements.refresh().map(ctx) : Future.succeededFuture(ctx);
        });
  }

  /**
   * The tenant as the catalog has it, read afresh when a suspension flag contradicts the cached entry: the flag
   * outruns the catalog cache of other nodes, but only the control plane says whether the tenant is suspended.
   */
  private Future<Optional<Tenant>> confirmed(Revocations.Standing standing, Optional<Tenant> cached, TenantId id) {
    boolean contradicted = standing.tenantSuspended() && cached.isPresent() && cached.get().isActive();
    return contradicted ? catalog.findFresh(id) : Future.succeededFuture(cached);
  }

  /** The member's tenant roles and grants at the standing's access version; a patient's token holds none. */
  private Future<MemberAccess> memberAccess(Claims claims, Revocations.Standing standing) {
    return claims.patient.isPresent() ? Future.succeededFuture(MemberAccess.none(0))
        : accesses.of(claims.tenant, claims.user, standing.accessVersion());
  }

  /**
   * The groups in force for this request (the facilities, departments and care teams of the member's session), read
   * only when a grant is limited to one: the context resolved without them scopes the read. A request that cannot
   * be resolved fails here as it would below.
   */
  private Future<Set<UUID>> scoped(RoutingContext rc, Claims claims, Revocations.Standing standing,
                                   Optional<Tenant> tenant, MemberAccess access) {
    if (!access.hasScopedGrants()) {
      return Future.succeededFuture(Set.of());
    }
    TenantContext unscoped;
    try {
      unscoped = resolve(rc, claims, standing, tenant, access, Set.of());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return groupsInForce.of(unscoped).map(GroupsInForce.Groups::all);
  }

  /** The token's base roles' permissions, the tenant roles' and the grants in force for the request's groups. */
  private static Set<String> permissions(Claims claims, MemberAccess access, Set<UUID> groups) {
    return access.permissions(Role.permissionKeys(claims.roles), Instant.now(), groups);
  }

  private TenantContext resolve(RoutingContext rc, Claims claims, Revocations.Standing standing,
                                Optional<Tenant> tenant, MemberAccess access, Set<UUID> groups) {
    // Suspension first: it also ends every session, and "suspended" tells the app not to retry a login.
    if (tenant.isEmpty() || !tenant.get().isActive()) {
      throw new Forbidden("the tenant is suspended");
    }
    if (standing.sessionEnded()) {
      throw Unauthorized.invalidToken("this session has ended; log in again");
    }
    if (!regions.serves(tenant.get().dataRegion()) && !"memberships".equals(scope(rc))) {
      throw new Forbidden("the tenant's data region is not served by this node");
    }
    if (placements.writesPaused(claims.tenant) && !isRead(rc)) {
      // The database refuses the write anyway (the tenant's transactions are read-only); refuse it before any work.
      throw new TenantDb.WritesPaused();
    }
    if ("platform".equals(scope(rc)) && tenant.get().kind() != TenantKind.PLATFORM) {
      throw new Forbidden("this operation is the platform owner's");
    }
    if ("path".equals(scope(rc))) {
      RequestParameter named = validated(rc).getPathParameters().get("tenantId");
      if (named == null || !claims.tenant.toString().equalsIgnoreCase(named.getString())) {
        throw new Forbidden("the request names a tenant other than your active one; switch tenant first");
      }
    }
    Operation operation = operation(rc);
    if (claims.mfaPending && !(operation != null
        && "allowed".equals(operation.getOpenAPIModel().getString("x-caduceus-mfa-pending")))) {
      throw Forbidden.mfaRequired();
    }
    Set<String> permissions = permissions(claims, access, groups);
    if (operation != null && Boolean.TRUE.equals(operation.getOpenAPIModel().getBoolean("x-caduceus-step-up"))
        && !claims.recentMfa(Instant.now())) {
      permissions = StepUp.held(permissions);
    }
    if (claims.scope != null) {
      permissions = SmartAccess.confine(claims.scope, rc.request().path(), claims.patient.isPresent(), permissions);
    }
    return new TenantContext(claims.tenant, tenant.get().dataRegion(), tenant.get().tier(), claims.user,
        claims.roles, permissions, claims.patient, Requests.requestId(rc), Requests.clientAddress(rc), null)
        .withSession(claims.session);
  }

  private static boolean isRead(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  private static String scope(RoutingContext rc) {
    Operation operation = operation(rc);
    return operation == null ? null : operation.getOpenAPIModel().getString("x-tenant-scope");
  }

  private static Operation operation(RoutingContext rc) {
    Object op = rc.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
    return op instanceof Operation operation ? operation : null;
  }

  private static ValidatedRequest validated(RoutingContext rc) {
    return rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  /** The claims this server puts in its access tokens. */
  private record Claims(UUID user, TenantId tenant, UUID session, Set<String> roles, Optional<UUID> patient,
                        Set<String> amr, long authTime, boolean mfaPending, String scope) {

    static Claims of(JsonObject principal) {
      Set<String> roleNames = new HashSet<>();
      principal.getJsonArray("roles", new JsonArray()).forEach(r -> roleNames.add((String) r));
      Set<String> methods = new HashSet<>();
      principal.getJsonArray("amr", new JsonArray()).forEach(m -> methods.add(String.valueOf(m)));
      String pid = principal.getString("pid");
      return new Claims(UUID.fromString(principal.getString("sub")), TenantId.parse(principal.getString("tid")),
          UUID.fromString(principal.getString("sid")), roleNames,
          pid == null ? Optional.empty() : Optional.of(UUID.fromString(pid)), methods,
          principal.getLong("auth_time", 0L), principal.getBoolean("mfa_pending", false),
          principal.getString(SmartAccess.CLAIM));
    }

    /** Whether the token proves a second factor verified within the step-up window. */
    boolean recentMfa(Instant now) {
      return amr.contains("mfa") && authTime >= now.minus(StepUp.MAX_AGE).getEpochSecond()
          && authTime <= now.getEpochSecond() + 60;
    }
  }
}
