package io.caduceus.api.boot;

import io.caduceus.api.fhir.bulk.BulkExports;
import io.caduceus.api.fhir.FhirTypes;
import io.caduceus.api.fhir.bulk.BulkGroupFhir;
import io.caduceus.api.fhir.bulk.BulkHandlers;
import io.caduceus.api.http.Operations;
import io.caduceus.api.ops.ServerUrl;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * FHIR Bulk Data export over the facade's registry, and its sweep: every {@link #SWEEP_EVERY} it deletes the
 * exports that expired and takes over runs that stopped beating, with no request needed. Runs never overlap.
 */
final class BulkWiring {

  private static final Logger LOG = LoggerFactory.getLogger(BulkWiring.class);
  /** How long an export's files may be downloaded after it completes. */
  static final Duration KEEP = Duration.ofHours(1);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

  final BulkExports exports;
  private final BulkGroupFhir group;
  private final FhirWiring fhir;
  private Future<?> sweeping = Future.succeededFuture();

  BulkWiring(Shared shared, FhirWiring fhir) {
    this.fhir = fhir;
    this.group = (BulkGroupFhir) fhir.types.find("Group").orElseThrow();
    String bulkData = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/";
    fhir.types.declare(new FhirTypes.Operation(null, "export", bulkData + "export"));
    fhir.types.declare(new FhirTypes.Operation("Patient", "export", bulkData + "patient-export"));
    fhir.types.declare(new FhirTypes.Operation("Group", "export", bulkData + "group-export"));
    this.exports = new BulkExports(shared.vertx(), shared.db(), fhir.model, fhir.types, group,
        shared.regions().regions(), KEEP, shared.config().bulk());
    shared.vertx().setPeriodic(SWEEP_EVERY.toMillis(), id -> sweep());
  }

  private synchronized void sweep() {
    if (sweeping.isComplete()) {
      sweeping = exports.sweep(Instant.now())
          .onFailure(e -> LOG.warn("the export sweep failed: {}", e.getClass().getSimpleName()));
    }
  }

  /** Binds the export operations. */
  void bind(Operations ops, ServerUrl serverUrl) {
    new BulkHandlers(exports, group, fhir.model, serverUrl).bind(ops);
  }
}
