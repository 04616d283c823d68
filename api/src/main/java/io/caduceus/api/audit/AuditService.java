package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;

import java.util.Optional;
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
      Position after = cursors.after(ctx, "audit", q.fingerprint(), cursor);
      return db.once(ctx, conn -> repository.list(conn, ctx.tenantId(), q, after.at(), after.id(), q.limit() + 1))
          .map(records -> Page.of(records, q.limit(), last -> cursors.seal(ctx, "audit", q.fingerprint(),
              last.occurredAt(), last.id())));
    });
  }

  /**
   * One page of the events matching {@code s}, newest first. The caller has checked the permission its view needs
   * ({@link Permission#AUDIT_READ}, or the patient's own {@link Permission#PORTAL} with {@code s} bound to them).
   */
  public Future<Page<AuditRecord>> search(TenantContext ctx, AuditSearch s, int limit, String cursor) {
    Position after = cursors.after(ctx, "audit-search", s.fingerprint(), cursor);
    return db.once(ctx, conn -> repository.search(conn, ctx.tenantId(), s, after.at(), after.id(), limit + 1))
        .map(records -> Page.of(records, limit, last -> cursors.seal(ctx, "audit-search", s.fingerprint(),
            last.occurredAt(), last.id())));
  }

  /** How many of the tenant's events match {@code s}; the caller has checked the permission its view needs. */
  public Future<Integer> count(TenantContext ctx, AuditSearch s) {
    return db.once(ctx, conn -> repository.count(conn, ctx.tenantId(), s));
  }

  /** The tenant's event {@code id}, if it exists; the caller has checked the permission its view needs. */
  public Future<Optional<AuditRecord>> find(TenantContext ctx, UUID id) {
    return db.once(ctx, conn -> repository.find(conn, ctx.tenantId(), id));
  }

  /**
   * Recomputes the tenant's chain from its first seal and reports every broken range (the first as
   * {@code firstBrokenLink}) and the repairs it went through.
   */
  public Future<AuditVerification> verify(TenantContext ctx) {
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> verifier.verify(ctx));
  }
}
