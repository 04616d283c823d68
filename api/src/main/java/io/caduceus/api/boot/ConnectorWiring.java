package io.caduceus.api.boot;

import io.caduceus.api.connector.ConnectorHandlers;
import io.caduceus.api.connector.ConnectorService;
import io.caduceus.api.connector.ImportJobs;
import io.caduceus.api.connector.ImportedRecordService;
import io.caduceus.api.connector.Imports;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.http.Operations;

/** Inbound EHR connectors: a tenant's legacy FHIR R4 server, and the jobs importing from it. */
final class ConnectorWiring {

  private final ConnectorHandlers handlers;

  ConnectorWiring(Shared shared, ClinicalWiring clinical, FhirModel model) {
    ConnectorService connectors = new ConnectorService(shared.db(), shared.keyring());
    ImportJobs jobs = Imports.jobs(shared.vertx(), shared.db(), shared.keyring(), connectors, model,
        clinical.patients, shared.audit());
    this.handlers = new ConnectorHandlers(connectors, jobs, new ImportedRecordService(shared.db(),
        clinical.patients));
  }

  /** Binds the connector operations. */
  void bind(Operations ops) {
    handlers.bind(ops);
  }
}
