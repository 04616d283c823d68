package io.caduceus.api.audit;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** The tenant's audit events, written and read on a connection {@code TenantDb} opened for that tenant. */
final class AuditRepository {

  /** The row of an event the caller's request caused, stamped with a new id and the time now. */
  static Tuple row(TenantContext ctx, AuditEvent e) {
    return Tuple.from(new Object[] {
        ctx.tenantId().value(),
        UuidV7.next(),
        utc(Instant.now()),
        ctx.userId(),
        ctx.roles().stream().sorted().toArray(String[]::new),
        e.action(),
        e.resourceType(),
        e.resourceId(),
        e.patientIds().toArray(new UUID[0]),
        e.outcome().wire(),
        ctx.requestId(),
        ctx.clientAddress(),
        e.partnerTenant()});
  }

  /** Stores an event's {@link #row}. */
  Future<Void> insert(SqlConnection conn, Tuple row) {
    return conn.preparedQuery(AuditSql.INSERT).execute(row).mapEmpty();
  }

  /** Stores events' {@link #row rows} in one batch. */
  Future<Void> insertAll(SqlConnection conn, List<Tuple> rows) {
    return conn.preparedQuery(AuditSql.INSERT).executeBatch(rows).mapEmpty();
  }

  /** Up to {@code limit} of the tenant's events matching {@code q}, newest first, after the cursor's position. */
  Future<List<AuditRecord>> list(SqlConnection conn, TenantId tenant, AuditQuery q, Instant afterAt, UUID afterId,
                                 int limit) {
    Tuple args = Tuple.from(new Object[] {q.patientId(), q.actorUserId(), q.action(), utc(q.from()), utc(q.to()),
        utc(afterAt), afterId, limit, tenant.value()});
    return conn.preparedQuery(AuditSql.LIST).execute(args).map(rows -> Rows.list(rows, AuditRecord::fromRow));
  }

  /** Up to {@code limit} of the tenant's events matching {@code s}, newest first, before the cursor's position. */
  Future<List<AuditRecord>> search(SqlConnection conn, TenantId tenant, AuditSearch s, Instant afterAt, UUID afterId,
                                   int limit) {
    return AuditSql.SEARCH.page(conn, filters(tenant, s), afterAt, afterId, limit)
        .map(rows -> Rows.list(rows, AuditRecord::fromRow));
  }

  /** How many of the tenant's events match {@code s}. */
  Future<Integer> count(SqlConnection conn, TenantId tenant, AuditSearch s) {
    return AuditSql.SEARCH.count(conn, filters(tenant, s));
  }

  private static List<Object> filters(TenantId tenant, AuditSearch s) {
    return Arrays.asList(tenant.value(),
        s.patients() == null ? null : s.patients().toArray(UUID[]::new), s.notBy(), utc(s.from()), utc(s.to()));
  }

  /** The tenant's event {@code id}, if it exists. */
  Future<Optional<AuditRecord>> find(SqlConnection conn, TenantId tenant, UUID id) {
    return conn.preparedQuery(AuditSql.ONE).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.list(rows, AuditRecord::fromRow).stream().findFirst());
  }
}
