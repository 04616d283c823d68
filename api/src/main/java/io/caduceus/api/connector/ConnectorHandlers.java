package io.caduceus.api.connector;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.ext.web.RoutingContext;

/** Binds the EHR connector operations: the connectors, their import jobs, and what was imported for a patient. */
public final class ConnectorHandlers {

  private final ConnectorService connectors;
  private final ImportJobs imports;
  private final ImportedRecordService records;

  public ConnectorHandlers(ConnectorService connectors, ImportJobs imports, ImportedRecordService records) {
    this.connectors = connectors;
    this.imports = imports;
    this.records = records;
  }

  /** Binds each operation to its service call. */
  public void bind(Operations ops) {
    ops.bind("createEhrConnector", rc -> connectors.create(Requests.tenant(rc), Requests.body(rc))
        .map(json -> Reply.created(base(rc) + "/" + json.getString("id"), json)));
    ops.bind("listEhrConnectors", rc -> connectors.list(Requests.tenant(rc)).map(Reply::items));
    ops.bind("getEhrConnector", rc -> connectors.get(Requests.tenant(rc), Requests.pathUuid(rc, "connectorId"))
        .map(Reply::ok));
    ops.bind("updateEhrConnector", rc -> connectors.update(Requests.tenant(rc), Requests.pathUuid(rc, "connectorId"),
        Requests.body(rc)).map(Reply::ok));
    ops.bind("deleteEhrConnector", rc -> connectors.delete(Requests.tenant(rc), Requests.pathUuid(rc, "connectorId"))
        .map(v -> Reply.noContent()));
    ops.bind("startEhrImport", rc -> imports.start(Requests.tenant(rc), Requests.pathUuid(rc, "connectorId"),
            Boolean.TRUE.equals(Requests.queryBoolean(rc, "full")))
        .map(job -> Reply.accepted(job, base(rc) + "/" + job.getString("connectorId") + "/imports/"
            + job.getString("id"))));
    ops.bind("getEhrImport", rc -> imports.get(Requests.tenant(rc), Requests.pathUuid(rc, "connectorId"),
        Requests.pathUuid(rc, "jobId")).map(Reply::ok));
    ops.bind("listImportedRecords", rc -> records.ofPatient(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"))
        .map(Reply::items));
  }

  private static String base(RoutingContext rc) {
    return "/v1/tenants/" + Requests.tenant(rc).tenantId() + "/ehr-connectors";
  }
}
