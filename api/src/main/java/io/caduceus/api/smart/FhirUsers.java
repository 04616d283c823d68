package io.caduceus.api.smart;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;

/**
 * The user's own FHIR record, which an id_token's {@code fhirUser} names: {@code Patient/<id>} for a patient,
 * {@code Practitioner/<id>} for staff with a practitioner record of the tenant (read in its region, under RLS).
 */
public final class FhirUsers {

  private static final String PRACTITIONER = "SELECT id FROM practitioner WHERE user_id = $1";

  private final TenantDb db;

  public FhirUsers(TenantDb db) {
    this.db = db;
  }

  /** The record relative to the FHIR base, if the user has one. */
  Future<Optional<String>> of(TenantContext ctx) {
    if (ctx.patientId().isPresent()) {
      return Future.succeededFuture(Optional.of("Patient/" + ctx.patientId().get()));
    }
    return db.once(ctx, conn -> conn.preparedQuery(PRACTITIONER).execute(Tuple.of(ctx.userId())))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of("Practitioner/" + rows.iterator().next().getUUID("id")));
  }
}
