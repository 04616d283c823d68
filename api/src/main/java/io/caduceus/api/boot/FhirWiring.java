package io.caduceus.api.boot;

import io.caduceus.api.fhir.FhirHandlers;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.api.fhir.PatientFhir;
import io.caduceus.api.http.Operations;
import io.caduceus.api.ops.ServerUrl;
import io.vertx.core.Vertx;

import java.util.List;

/** The FHIR R4 facade: HAPI's model (loaded at the first FHIR request) and one {@link FhirType} per resource type. */
final class FhirWiring {

  final FhirModel model;
  final List<FhirType> types;

  FhirWiring(Vertx vertx, ClinicalWiring clinical) {
    this.model = new FhirModel(vertx);
    this.types = List.of(new PatientFhir(clinical.patients));
  }

  /** Binds {@code /fhir/r4}. */
  void bind(Operations ops, ServerUrl serverUrl) {
    new FhirHandlers(model, types, serverUrl).bind(ops);
  }
}
