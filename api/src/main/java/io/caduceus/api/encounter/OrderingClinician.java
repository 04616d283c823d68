package io.caduceus.api.encounter;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * What every order a clinician places (a lab order, a prescription) names and checks: the ordering practitioner,
 * by their profile's name and NPI as a requisition or e-prescription must carry them, and the encounter it belongs
 * to, which must document the same patient.
 */
public final class OrderingClinician {

  private static final String PROFILE = """
      SELECT given_name, family_name, npi
      FROM practitioner
      WHERE user_id = $1 AND active""";

  private static final String ENCOUNTER_OF_PATIENT = "SELECT status FROM encounter WHERE id = $1 AND patient_id = $2";

  private OrderingClinician() {
  }

  /** The acting user as the orderer of {@code what} ("an order", "a prescription"): {@code name} and {@code npi}. */
  public static Future<JsonObject> of(SqlConnection conn, UUID userId, String what) {
    return conn.preparedQuery(PROFILE).execute(Tuple.of(userId)).map(rows -> {
      if (rows.size() == 0) {
        throw new Conflict(what + " names its ordering practitioner; your account has no active practitioner"
            + " profile in this tenant");
      }
      Row row = rows.iterator().next();
      String given = row.getString("given_name");
      return new JsonObject().put("name", (given == null ? "" : given + " ") + row.getString("family_name"))
          .put("npi", row.getString("npi"));
    });
  }

  /** Checks that the encounter, when given, exists and documents the same patient. */
  public static Future<Void> checkEncounter(SqlConnection conn, UUID encounterId, UUID patientId) {
    if (encounterId == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(ENCOUNTER_OF_PATIENT).execute(Tuple.of(encounterId, patientId))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such encounter of this patient")));
  }
}
