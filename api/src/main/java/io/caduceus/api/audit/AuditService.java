package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** Reads the tenant's audit trail and verifies its hash chain. */
public final class AuditService {

  private final TenantDb db;
  private final Cursors cursors;
  private final AuditVerifier verifier;
  private final AuditRepository repository = new AuditRepository();

  public AuditService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
    this.verifier = new AuditVerifier(db);
  }

  /** One page of events, newest first. */
  public Future<Page<AuditRecord>> list(TenantContext ctx, AuditQuery q, String cursor) {
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "audit", q.fingerprint(), cursor);
      Instant afterAt = after == null ? null : Instant.parse(after.getString("at"));
      UUID afterId = after == null ? null : UUID.fromString(after.getString("id"));
      return db.once(ctx, conn -> repository.list(conn, ctx.tenantId(), q, afterAt, afterId, q.limit() + 1))
          .map(records -> Page.of(records, q.limit(), last -> cursors.seal(ctx, "audit", q.fingerprint(),
              new JsonObject().put("at", last.occurredAt().toString()).put("id", last.id().toString()))));
    });
  }

  /**
   * Recomputes the tenant's chain from its first seal and reports every broken range (the first as
   * {@code firstBrokenLink}) and the repairs it went through.
   */
  public Future<AuditVerification> verify(TenantContext ctx) {
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> verifier.verify(ctx));
  }
}
