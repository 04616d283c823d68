package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Reads the tenant's audit trail and verifies its hash chain. */
public final class AuditService {

  private final TenantDb db;
  private final Cursors cursors;
  private final AuditVerifier verifier;

  public AuditService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
    this.verifier = new AuditVerifier(db);
  }

  /** One page of events, newest first. */
  public Future<Page<AuditRecord>> list(TenantContext ctx, AuditQuery q, String cursor) {
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "audit", q.fingerprint(), cursor);
      Tuple args = Tuple.from(new Object[] {q.patientId(), q.actorUserId(), q.action(), utc(q.from()), utc(q.to()),
          after == null ? null : utc(Instant.parse(after.getString("at"))),
          after == null ? null : UUID.fromString(after.getString("id")), q.limit() + 1, ctx.tenantId().value()});
      return db.once(ctx, conn -> conn.preparedQuery(AuditSql.LIST).execute(args)).map(rows -> {
        List<AuditRecord> records = new ArrayList<>();
        rows.forEach(row -> records.add(AuditRecord.fromRow(row)));
        return Page.of(records, q.limit(), last -> cursors.seal(ctx, "audit", q.fingerprint(),
            new JsonObject().put("at", last.occurredAt().toString()).put("id", last.id().toString())));
      });
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
