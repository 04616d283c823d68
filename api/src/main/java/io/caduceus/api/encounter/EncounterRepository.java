package io.caduceus.api.encounter;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Position;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;


/** Encounters and their entries in the tenant's regional database; it runs on the connection it is given. */
final class EncounterRepository {

  /** The practitioner an order names: by name and NPI, as a requisition or e-prescription carries them. */
  record Orderer(String name, String npi) {
  }

  /** What a change needs to know before it touches an encounter, read under a row lock. */
  record Head(UUID id, UUID patientId, EncounterStatus status, int version) {
  }

  /** Opens the encounter of a booked or checked-in appointment; fails when the appointment is neither. */
  Future<UUID> open(SqlConnection conn, TenantContext ctx, UUID appointmentId) {
    UUID id = UuidV7.next();
    return conn.preparedQuery(EncounterSql.OPEN).execute(Tuple.of(ctx.tenantId().value(), id, ctx.userId(),
            appointmentId))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(id)
            : conn.preparedQuery(EncounterSql.APPOINTMENT_STATUS).execute(Tuple.of(appointmentId))
                .compose(found -> Future.failedFuture(found.size() == 0 ? new NotFound("no such appointment")
                    : new Conflict("an encounter is opened for a booked or checked-in appointment, not a "
                        + found.iterator().next().getString("status") + " one"))));
  }

  /** The encounter's head, locked for the rest of the transaction. */
  Future<Head> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery(EncounterSql.LOCK).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw new NotFound("no such encounter");
      }
      Row row = rows.iterator().next();
      return new Head(id, row.getUUID("patient_id"), EncounterStatus.fromWire(row.getString("status")),
          row.getInteger("version"));
    });
  }

  /** The encounter with every entry. */
  Future<Encounter> full(SqlConnection conn, UUID id) {
    return conn.preparedQuery(EncounterSql.FULL).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw new NotFound("no such encounter");
      }
      return Encounter.fromRow(rows.iterator().next());
    });
  }

  /** An encounter's versions (headers) in the range, newest first, with the status (null: any). */
  Future<List<Encounter>> versions(SqlConnection conn, UUID id, VersionRange range, EncounterStatus status) {
    return conn.preparedQuery(EncounterSql.VERSIONS).execute(Tuple.from(new Object[] {id, range.below(),
            range.since() == null ? null : Timestamps.utc(range.since()), range.limit(),
            status == null ? null : status.wire()}))
        .map(rows -> Rows.list(rows, Encounter::fromRow));
  }

  /** Encounter headers, newest first, after the given position. */
  Future<List<Encounter>> list(SqlConnection conn, UUID patientId, EncounterStatus status, Instant afterOpened,
                               UUID afterId, int limit) {
    return EncounterSql.LIST.page(conn, Arrays.asList(patientId, status == null ? null : status.wire()), afterOpened,
        afterId, limit).map(rows -> {
          List<Encounter> found = new ArrayList<>();
          rows.forEach(row -> found.add(Encounter.fromRow(row)));
          return found;
        });
  }

  /** Encounter headers matching a FHIR search, newest first, after the position. */
  Future<List<Encounter>> search(SqlConnection conn, EncounterFilter filter, Position after,
                                 int limit) {
    return EncounterSql.SEARCH.page(conn, filter.values(), after.at(), after.id(), limit)
        .map(rows -> Rows.list(rows, Encounter::fromRow));
  }

  /** How many encounter headers match a FHIR search. */
  Future<Integer> count(SqlConnection conn, EncounterFilter filter) {
    return EncounterSql.SEARCH.count(conn, filter.values());
  }

  Future<Void> setNotes(SqlConnection conn, UUID id, String notes) {
    return conn.preparedQuery(EncounterSql.NOTES).execute(Tuple.of(id, notes)).mapEmpty();
  }

  /** Moves the version on after an entry changed, so the encounter's ETag does too. */
  Future<Void> touch(SqlConnection conn, UUID id) {
    return conn.preparedQuery(EncounterSql.TOUCH).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> sign(SqlConnection conn, UUID id, UUID signer) {
    return conn.preparedQuery(EncounterSql.SIGN).execute(Tuple.of(id, signer)).mapEmpty();
  }

  /** Records vital signs, each already checked against its {@link VitalSign}. */
  Future<Void> addVitals(SqlConnection conn, TenantContext ctx, Head e, List<JsonObject> vitals) {
    List<Tuple> batch = new ArrayList<>();
    for (JsonObject v : vitals) {
      VitalSign sign = VitalSign.of(v.getString("code"), "/vitals");
      batch.add(Tuple.from(new Object[] {ctx.tenantId().value(), UuidV7.next(), e.id(), e.patientId(), sign.loinc(),
          sign.display(), v.getNumber("value"), v.getString("unit"), ctx.userId()}));
    }
    return conn.preparedQuery(EncounterSql.ADD_VITAL).executeBatch(batch).mapEmpty();
  }

  /** Corrects the value and unit of recorded vital signs (each already checked); fails when one is not there. */
  Future<Void> correctVitals(SqlConnection conn, Head e, List<JsonObject> corrections) {
    Future<Void> done = Future.succeededFuture();
    for (JsonObject c : corrections) {
      done = done.compose(v -> conn.preparedQuery(EncounterSql.CORRECT_VITAL).execute(Tuple.of(e.id(),
              UUID.fromString(c.getString("id")), c.getNumber("value"), c.getString("unit"), c.getString("code")))
          .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
              : Future.failedFuture(new NotFound("no such vital sign of this encounter"))));
    }
    return done;
  }

  Future<Void> addDiagnosis(SqlConnection conn, TenantContext ctx, Head e, String code, String display) {
    return conn.preparedQuery(EncounterSql.ADD_DIAGNOSIS).execute(Tuple.of(ctx.tenantId().value(), UuidV7.next(),
        e.id(), e.patientId(), code, display, ctx.userId())).mapEmpty();
  }

  Future<Void> addProcedure(SqlConnection conn, TenantContext ctx, Head e, String code, String display, int quantity) {
    return conn.preparedQuery(EncounterSql.ADD_PROCEDURE).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
        UuidV7.next(), e.id(), e.patientId(), code, display, quantity, ctx.userId()})).mapEmpty();
  }

  Future<Void> addAddendum(SqlConnection conn, TenantContext ctx, Head e, String text) {
    return conn.preparedQuery(EncounterSql.ADD_ADDENDUM).execute(Tuple.of(ctx.tenantId().value(), UuidV7.next(),
        e.id(), e.patientId(), text, ctx.userId())).mapEmpty();
  }

  /** Removes one entry recorded in error; fails when the section holds no such entry. */
  Future<Void> remove(SqlConnection conn, Head e, EncounterSection section, UUID entryId) {
    return conn.preparedQuery(section.removal()).execute(Tuple.of(e.id(), entryId))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such entry in " + section.wire())));
  }

  /** The user's active practitioner profile as an orderer; empty if they have none in this tenant. */
  Future<Optional<Orderer>> orderer(SqlConnection conn, UUID userId) {
    return conn.preparedQuery(EncounterSql.ORDERER).execute(Tuple.of(userId)).map(rows -> Rows.optional(rows, row -> {
      String given = row.getString("given_name");
      return new Orderer((given == null ? "" : given + " ") + row.getString("family_name"), row.getString("npi"));
    }));
  }

  /** Whether the encounter exists and documents the patient. */
  Future<Boolean> documents(SqlConnection conn, UUID encounterId, UUID patientId) {
    return conn.preparedQuery(EncounterSql.OF_PATIENT).execute(Tuple.of(encounterId, patientId))
        .map(rows -> rows.size() == 1);
  }
}
