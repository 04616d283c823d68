package io.caduceus.api.phone;

import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.ServedTenants;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Rewrites in E.164 the phone numbers saved in national format before numbers were normalised. Migration V12
 * rewrote the international ones, but a national number needs the tenant's country, which only the control plane
 * knows. Each tenant of this node's regions is visited under its own scope (an indexed probe, empty once done); a
 * number that cannot be read stays as it was. It runs in the background at start and is safe on several nodes at
 * once: an update applies only if the number is still the one read.
 */
public final class PhoneBackfill {

  /** The actor of the audit events it writes ("V12"). */
  private static final UUID BACKFILL = new UUID(0, 12);
  static final String NATIONAL_PATIENTS = """
      SELECT id, contact->>'phone' AS phone
      FROM patient
      WHERE contact->>'phone' !~ '^\\+'""";
  static final String NATIONAL_PRACTITIONERS = "SELECT id, phone FROM practitioner WHERE phone !~ '^\\+'";
  static final String SET_PATIENT = """
      UPDATE patient
      SET contact = jsonb_set(contact, '{phone}', to_jsonb($2::text))
      WHERE id = $1 AND contact->>'phone' = $3""";
  static final String SET_PRACTITIONER = "UPDATE practitioner SET phone = $2 WHERE id = $1 AND phone = $3";

  private final ServedTenants tenants;
  private final TenantDb db;
  private final AuditTrail audit;

  public PhoneBackfill(ServedTenants tenants, TenantDb db, AuditTrail audit) {
    this.tenants = tenants;
    this.db = db;
    this.audit = audit;
  }

  /** Visits every tenant of this node's regions; returns how many numbers it rewrote. */
  public Future<Integer> run() {
    return tenants.each(t -> {
      String country = PhoneNumbers.regionOf(t.locale());
      return country == null ? Future.succeededFuture(0) : tenant(t, country);
    });
  }

  /** Rewrites one tenant's national numbers, read in {@code country}. */
  Future<Integer> tenant(Tenant t, String country) {
    TenantContext ctx = TenantContext.system(t.id(), t.dataRegion(), t.tier(), BACKFILL, Set.of(), "phone-backfill");
    return db.inTenant(ctx, conn -> rewrite(conn, NATIONAL_PATIENTS, SET_PATIENT, country)
        .compose(patients -> rewrite(conn, NATIONAL_PRACTITIONERS, SET_PRACTITIONER, country)
            .compose(staff -> patients.isEmpty() ? Future.succeededFuture(staff.size())
                : audit.record(conn, ctx, AuditEvent.of("patient.phone_normalised", "patient", null, null)
                    .withPatients(patients)).map(v -> patients.size() + staff.size()))));
  }

  /** The ids whose number {@code update} rewrote. */
  private static Future<List<UUID>> rewrite(SqlConnection conn, String select, String update, String country) {
    return conn.query(select).execute().compose(rows -> {
      List<Tuple> changes = new ArrayList<>();
      for (Row row : rows) {
        Optional<String> e164 = PhoneNumbers.e164(row.getString("phone"), country);
        e164.ifPresent(number -> changes.add(Tuple.of(row.getUUID("id"), number, row.getString("phone"))));
      }
      if (changes.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return conn.preparedQuery(update).executeBatch(changes)
          .map(v -> changes.stream().map(c -> c.getUUID(0)).toList());
    });
  }
}
