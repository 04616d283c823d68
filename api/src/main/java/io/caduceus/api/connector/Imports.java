package io.caduceus.api.connector;

import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Vertx;

/** Builds the import jobs over the node's HTTP client for remote FHIR servers. */
public final class Imports {

  private Imports() {
  }

  /** The import jobs of this node. */
  public static ImportJobs jobs(Vertx vertx, TenantDb db, TenantKeyring keyring, ConnectorService connectors,
                                FhirModel model, PatientService patients, AuditTrail audit) {
    return new ImportJobs(db, keyring, connectors, model, new RemoteFhir(vertx),
        new ResourceImport(db, patients, audit));
  }
}
