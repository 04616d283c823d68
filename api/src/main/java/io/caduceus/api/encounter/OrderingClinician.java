package io.caduceus.api.encounter;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * What every order a clinician places (a lab order, a prescription) names and checks: the ordering practitioner,
 * by their profile's name and NPI as a requisition or e-prescription must carry them, and the encounter it belongs
 * to, which must document the same patient.
 */
public final class OrderingClinician {

  private static final EncounterRepository ENCOUNTERS = new EncounterRepository();

  private OrderingClinician() {
  }

  /** The acting user as the orderer of {@code what} ("an order", "a prescription"): {@code name} and {@code npi}. */
  public static Future<JsonObject> of(SqlConnection conn, UUID userId, String what) {
    return ENCOUNTERS.orderer(conn, userId).map(found -> {
      EncounterRepository.Orderer orderer = found.orElseThrow(() -> new Conflict(what + " names its ordering"
          + " practitioner; your account has no active practitioner profile in this tenant"));
      return new JsonObject().put("name", orderer.name()).put("npi", orderer.npi());
    });
  }

  /** Checks that the encounter, when given, exists and documents the same patient. */
  public static Future<Void> checkEncounter(SqlConnection conn, UUID encounterId, UUID patientId) {
    if (encounterId == null) {
      return Future.succeededFuture();
    }
    return ENCOUNTERS.documents(conn, encounterId, patientId)
        .compose(documents -> documents ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such encounter of this patient")));
  }
}
