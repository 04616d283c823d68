package io.caduceus.api.audit;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Reads the tenant's audit trail and verifies its hash chain. */
public final class AuditService {

  private static final int SEAL_PAGE = 50;

  private final TenantDb db;
  private final Cursors cursors;

  public AuditService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
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
   * Recomputes the chain from the first seal and reports the first broken link, if any. Each page of seals is
   * checked in its own transaction, so a long chain never holds one connection for the whole run.
   */
  public Future<AuditVerification> verify(TenantContext ctx) {
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> verifyFrom(ctx, new Progress(ctx.tenantId().value())));
  }

  /** Where verification has got to. */
  private static final class Progress {
    final UUID tenant;
    long afterSeq;
    byte[] link = AuditChain.GENESIS;
    String lastTxid;
    UUID lastEvent;
    long events;
    long seals;

    Progress(UUID tenant) {
      this.tenant = tenant;
    }
  }

  private Future<AuditVerification> verifyFrom(TenantContext ctx, Progress p) {
    return db.inTenant(ctx, conn -> conn.preparedQuery(AuditSql.SEALS).execute(Tuple.of(p.afterSeq, SEAL_PAGE, p.tenant))
        .compose(seals -> {
          if (seals.size() == 0) {
            return conn.preparedQuery(AuditSql.COUNT_AFTER).execute(Tuple.of(p.lastTxid, p.lastEvent, p.tenant))
                .map(rows -> AuditVerification.intact(p.events, p.seals, rows.iterator().next().getLong("n")));
          }
          Future<AuditVerification> verdict = Future.succeededFuture(null);
          for (Row seal : seals) {
            verdict = verdict.compose(broken -> broken != null ? Future.succeededFuture(broken)
                : checkSeal(conn, p, seal));
          }
          return verdict.map(broken -> broken != null ? broken : CONTINUE);
        }))
        .compose(verdict -> verdict == CONTINUE ? verifyFrom(ctx, p) : Future.succeededFuture(verdict));
  }

  /** Marks a page that checked out, so verification moves on to the next one. */
  private static final AuditVerification CONTINUE = AuditVerification.intact(-1, -1, -1);

  private Future<AuditVerification> checkSeal(SqlConnection conn, Progress p, Row seal) {
    long seq = seal.getLong("seq");
    Tuple range = Tuple.of(p.lastTxid, p.lastEvent, seal.getString("last_txid"), seal.getUUID("last_event_id"),
        p.tenant);
    return conn.preparedQuery(AuditSql.SEALED_RANGE).execute(range).map(rows -> {
      List<AuditRecord> events = new ArrayList<>();
      rows.forEach(row -> events.add(AuditRecord.fromRow(row)));
      AuditVerification broken = compare(p, seq, seal, events);
      if (broken == null) {
        p.afterSeq = seq;
        p.lastTxid = seal.getString("last_txid");
        p.lastEvent = seal.getUUID("last_event_id");
        p.seals++;
        p.events += events.size();
      }
      return broken;
    });
  }

  private static AuditVerification compare(Progress p, long seq, Row seal, List<AuditRecord> events) {
    if (!Arrays.equals(seal.getBuffer("prev_hash").getBytes(), p.link)) {
      return AuditVerification.broken(p.events, p.seals, seq, null, "seal_altered");
    }
    UUID[] ids = seal.getArrayOfUUIDs("event_ids");
    var hashes = seal.getArrayOfBuffers("event_hashes");
    Set<UUID> present = new HashSet<>();
    events.forEach(e -> present.add(e.id()));
    Set<UUID> sealed = new HashSet<>(Arrays.asList(ids));
    byte[] link = p.link;
    for (int i = 0; i < Math.max(ids.length, events.size()); i++) {
      if (i < ids.length && !present.contains(ids[i])) {
        return AuditVerification.broken(p.events, p.seals, seq, ids[i], "event_missing");
      }
      if (i >= ids.length || !sealed.contains(events.get(i).id())) {
        return AuditVerification.broken(p.events, p.seals, seq, events.get(i).id(), "event_added");
      }
      link = AuditChain.link(link, events.get(i));
      if (!Arrays.equals(link, hashes[i].getBytes())) {
        return AuditVerification.broken(p.events, p.seals, seq, events.get(i).id(), "event_altered");
      }
    }
    if (!Arrays.equals(link, seal.getBuffer("seal_hash").getBytes())) {
      return AuditVerification.broken(p.events, p.seals, seq, null, "seal_altered");
    }
    p.link = link;
    return null;
  }

}
