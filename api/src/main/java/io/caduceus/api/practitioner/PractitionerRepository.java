package io.caduceus.api.practitioner;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Practitioner rows. Every method runs on a connection {@code TenantDb} opened for the caller's tenant. */
final class PractitionerRepository {

  /** The fields of a profile a caller writes. */
  record Values(String familyName, String givenName, String specialty, String npi, String email, String phone) {
  }

  Future<Practitioner> insert(SqlConnection conn, TenantContext ctx, UUID userId, Values v) {
    return conn.preparedQuery(PractitionerSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            UuidV7.next(), userId, v.familyName(), v.givenName(), v.specialty(), v.npi(), v.email(), v.phone()}))
        .map(rows -> Rows.optional(rows, Practitioner::fromRow).orElseThrow());
  }

  Future<Optional<Practitioner>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PractitionerSql.FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Practitioner::fromRow));
  }

  /** The profile, locked for the rest of the transaction. */
  Future<Optional<Practitioner>> findForUpdate(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PractitionerSql.FIND_FOR_UPDATE).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Practitioner::fromRow));
  }

  /** The facilities the practitioner serves. */
  Future<List<UUID>> facilities(SqlConnection conn, UUID id) {
    return conn.preparedQuery(PractitionerSql.FACILITIES).execute(Tuple.of(id))
        .map(rows -> Rows.list(rows, row -> row.getUUID("facility_id")));
  }

  /** How many of {@code facilityIds} are facilities of the tenant. */
  Future<Integer> facilitiesFound(SqlConnection conn, UUID[] facilityIds) {
    return conn.preparedQuery(PractitionerSql.FACILITIES_FOUND).execute(Tuple.tuple().addValue(facilityIds))
        .map(rows -> rows.iterator().next().getLong("found").intValue());
  }

  /** Makes {@code facilityIds} the facilities the practitioner serves. */
  Future<Void> serve(SqlConnection conn, TenantContext ctx, UUID id, UUID[] facilityIds) {
    return conn.preparedQuery(PractitionerSql.UNSERVE).execute(Tuple.tuple().addValue(id).addValue(facilityIds))
        .compose(gone -> conn.preparedQuery(PractitionerSql.SERVE)
            .execute(Tuple.tuple().addValue(ctx.tenantId().value()).addValue(id).addValue(facilityIds)
                .addValue(ctx.userId())))
        .mapEmpty();
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<Practitioner>> update(SqlConnection conn, UUID id, int version, Values v, boolean active) {
    return conn.preparedQuery(PractitionerSql.UPDATE).execute(Tuple.from(new Object[] {id, version, v.familyName(),
            v.givenName(), v.specialty(), v.npi(), v.email(), v.phone(), active}))
        .map(rows -> Rows.optional(rows, Practitioner::fromRow));
  }

  /** Up to {@code limit} profiles after ({@code afterFamily}, {@code afterId}), by lower-cased family name. */
  Future<List<Practitioner>> list(SqlConnection conn, Boolean active, String afterFamily, UUID afterId, int limit) {
    return conn.preparedQuery(PractitionerSql.LIST).execute(Tuple.of(active, afterFamily, afterId, limit))
        .map(rows -> Rows.list(rows, Practitioner::fromRow));
  }

  /** A page of a FHIR search (see {@link PractitionerSql#search}). */
  Future<List<Practitioner>> search(SqlConnection conn, PractitionerSearch q, String afterFamily, UUID afterId,
                                    int limit) {
    Tuple args = filters(q);
    if (afterFamily != null) {
      args.addValue(afterFamily).addValue(afterId);
    }
    String sql = PractitionerSql.search(q.ids() != null, q.name() != null, q.npis() != null, q.updatedFrom() != null,
        q.updatedBefore() != null, afterFamily != null);
    return conn.preparedQuery(sql).execute(args.addInteger(limit)).map(rows -> Rows.list(rows, Practitioner::fromRow));
  }

  /** How many practitioners a FHIR search matches. */
  Future<Integer> count(SqlConnection conn, PractitionerSearch q) {
    String sql = PractitionerSql.count(q.ids() != null, q.name() != null, q.npis() != null, q.updatedFrom() != null,
        q.updatedBefore() != null);
    return conn.preparedQuery(sql).execute(filters(q)).map(rows -> (int) rows.iterator().next().getLong(0).longValue());
  }

  private static Tuple filters(PractitionerSearch q) {
    Tuple args = Tuple.tuple();
    if (q.ids() != null) {
      args.addValue(q.ids().toArray(UUID[]::new));
    }
    if (q.name() != null) {
      args.addValue(q.namePatterns());
    }
    if (q.npis() != null) {
      args.addValue(q.npis().toArray(String[]::new));
    }
    if (q.updatedFrom() != null) {
      args.addValue(q.updatedFrom().atOffset(java.time.ZoneOffset.UTC));
    }
    if (q.updatedBefore() != null) {
      args.addValue(q.updatedBefore().atOffset(java.time.ZoneOffset.UTC));
    }
    return args;
  }
}
