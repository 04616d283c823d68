package io.caduceus.api.connector;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** The Conditions, Observations and MedicationRequests imported for a patient, with their provenance. */
public final class ImportedRecordService {

  private final TenantDb db;
  private final PatientService patients;
  private final ImportedRecords records = new ImportedRecords();

  public ImportedRecordService(TenantDb db, PatientService patients) {
    this.db = db;
    this.patients = patients;
  }

  /** A live patient's imported records; clinical read permission, the patient's own when a patient asks. */
  public Future<List<JsonObject>> ofPatient(TenantContext ctx, UUID patientId) {
    return Access.check(ctx, Permission.PATIENT_CLINICAL_READ)
        .compose(v -> patients.exists(ctx, patientId))
        .compose(exists -> exists ? db.once(ctx, conn -> records.ofPatient(conn, patientId))
            : Future.failedFuture(new NotFound("no such patient")));
  }
}
