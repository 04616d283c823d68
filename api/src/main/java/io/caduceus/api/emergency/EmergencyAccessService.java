package io.caduceus.api.emergency;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.Role;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Break-glass: a clinician outside a patient's facilities and care teams opens the chart in an emergency by stating a
 * reason, for the tenant's window; row-level security (V31's org_scope) lets exactly that user read exactly that
 * patient while it is in force, the audit trail marks what they do meanwhile (AuditSql.INSERT), and the tenant's
 * privacy officers (its admins, if it has none) get a critical alert by email with the reason. Asking again while one is in force answers that one (neither a second nor
 * a longer window: a longer emergency states its reason again once this one ends). Its user may end it early.
 */
public final class EmergencyAccessService {

  private static final int SHORTEST_REASON = 10;

  private final TenantDb db;
  private final Outbox outbox;
  private final UserRepository users;
  private final Cursors cursors;
  private final EmergencyAccessRepository repository = new EmergencyAccessRepository();

  /** An access and whether this request opened it (false: the one already in force). */
  public record Opened(EmergencyAccess access, boolean created) {
  }

  public EmergencyAccessService(TenantDb db, Outbox outbox, UserRepository users, Cursors cursors) {
    this.db = db;
    this.outbox = outbox;
    this.users = users;
    this.cursors = cursors;
  }

  /** Opens an emergency access to a patient of the tenant, or answers the caller's one in force. */
  public Future<Opened> open(TenantContext ctx, UUID patientId, JsonObject sent) {
    String reason = sent.getString("reason") == null ? "" : sent.getString("reason").strip();
    return Access.check(ctx, Permission.PATIENT_EMERGENCY_ACCESS)
        .compose(v -> reason.length() >= SHORTEST_REASON ? Future.succeededFuture()
            : Future.failedFuture(new Unprocessable("state the emergency: a reason of " + SHORTEST_REASON
                + " to 1000 characters")))
        .compose(v -> alerted(ctx))
        .compose(officers -> users.displayNames(List.of(ctx.userId()))
            .compose(names -> db.inTenant(ctx, conn -> repository.patientOnRecord(conn, ctx, patientId)
                .compose(found -> found ? repository.lock(conn, ctx, patientId)
                    : Future.failedFuture(new NotFound("no such patient")))
                .compose(v -> repository.inForce(conn, ctx, patientId))
                .compose(current -> current.isPresent() ? Future.succeededFuture(new Opened(current.get(), false))
                    : repository.insert(conn, ctx, UuidV7.next(), patientId, reason)
                        .compose(access -> alert(conn, ctx, access, officers, names.get(ctx.userId()))
                            .map(new Opened(access, true))))
                .onSuccess(opened -> ctx.audit().about(opened.access().id())))));
  }

  /**
   * Who is alerted: the tenant's privacy officers; a tenant that has none has its admins alerted (they review
   * break-glass too), so that no emergency access goes unseen.
   */
  private Future<List<UUID>> alerted(TenantContext ctx) {
    return users.holders(ctx.tenantId(), Role.PRIVACY_OFFICER.wire()).compose(officers -> officers.isEmpty()
        ? users.holders(ctx.tenantId(), Role.TENANT_ADMIN.wire()) : Future.succeededFuture(officers));
  }

  /**
   * The critical alert for the privacy officers: who, and which access; never the patient, and not the reason
   * either (NoticeIntake reads it from the access and seals it into each alert, so the outbox never holds it).
   */
  private Future<Void> alert(SqlConnection conn, TenantContext ctx, EmergencyAccess access, List<UUID> officers,
                             String staffName) {
    if (officers.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray to = new JsonArray();
    officers.forEach(o -> to.add(o.toString()));
    JsonObject notice = new JsonObject().put("accessId", access.id().toString()).put("privacyOfficers", to);
    if (staffName != null) {
      notice.put("staffName", staffName);
    }
    return outbox.append(conn, ctx.tenantId(), new OutboxMessage("emergency_access.opened", access.id().toString(),
        notice)).mapEmpty();
  }

  /** One access: to its user, and to those who review break-glass; to anyone else it does not exist. */
  public Future<EmergencyAccess> get(TenantContext ctx, UUID id) {
    return db.once(ctx, conn -> repository.find(conn, ctx, id)).map(found -> {
      EmergencyAccess access = found.filter(a -> visible(ctx, a))
          .orElseThrow(() -> new NotFound("no such emergency access"));
      ctx.audit().patient(access.patientId());
      return access;
    });
  }

  /** Ends the caller's own access now; one that has already ended or expired is answered as it is. */
  public Future<EmergencyAccess> end(TenantContext ctx, UUID id) {
    return db.inTenant(ctx, conn -> repository.find(conn, ctx, id).compose(found -> {
      EmergencyAccess access = found.filter(a -> visible(ctx, a))
          .orElseThrow(() -> new NotFound("no such emergency access"));
      ctx.audit().patient(access.patientId());
      if (!access.userId().equals(ctx.userId())) {
        throw new Forbidden("only the user who opened an emergency access may end it");
      }
      return repository.end(conn, ctx, id).map(ended -> ended.orElse(access));
    }));
  }

  private static boolean visible(TenantContext ctx, EmergencyAccess access) {
    return access.userId().equals(ctx.userId()) || Access.has(ctx, Permission.EMERGENCY_ACCESS_REVIEW);
  }

  /**
   * One page of the break-glass report, newest first: each access opened in [from, to) with who opened it (by
   * name), for which patient, why, its window, and what they did to the patient under it.
   */
  public Future<Page<JsonObject>> report(TenantContext ctx, Instant from, Instant to, int limit, String cursor) {
    String filters = from + "|" + to;
    return Access.check(ctx, Permission.EMERGENCY_ACCESS_REVIEW).compose(v -> {
      Position after = cursors.after(ctx, "emergency-access", filters, cursor);
      return db.once(ctx, conn -> repository.uses(conn, ctx, from, to, after.at(), after.id(), limit + 1));
    }).compose(uses -> users.displayNames(uses.stream().map(u -> u.access().userId()).distinct().toList())
        .map(names -> {
          uses.forEach(u -> ctx.audit().patient(u.access().patientId()));
          Page<EmergencyAccessRepository.Use> page = Page.of(uses, limit,
              last -> cursors.seal(ctx, "emergency-access", filters, last.access().grantedAt(), last.access().id()));
          return page.map(u -> use(u, names));
        }));
  }

  private static JsonObject use(EmergencyAccessRepository.Use use, Map<UUID, String> names) {
    JsonArray reads = new JsonArray();
    use.reads().forEach(r -> {
      JsonObject read = ((JsonObject) r).copy();
      read.put("at", OffsetDateTime.parse(read.getString("at")).toInstant().toString());
      if (read.getValue("resourceId") == null) {
        read.remove("resourceId");
      }
      reads.add(read);
    });
    JsonObject json = use.access().toJson().put("reads", reads);
    String name = names.get(use.access().userId());
    if (name != null) {
      json.put("userName", name);
    }
    return json;
  }
}
