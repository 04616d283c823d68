package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;


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
      Position after = cursors.after(ctx, "audit", q.fingerprint(), cursor);
      return db.once(ctx, conn -> repository.list(conn, ctx.tenantId(), q, after.at(), after.id(), q.limit() + 1))
          .map(records -> Page.of(records, q.limit(), last -> cursors.seal(ctx, "audit", q.fingerprint(),
              last.occurredAt(), last.id())));
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
