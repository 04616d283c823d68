package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import io.caduceus.api.connector.ImportedResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.util.Date;

/**
 * An imported record served as ours: what the source said (its stored FHIR JSON), under our id and version, its
 * subject our Patient, {@code meta.source} the connector's base URL, tagged as imported, the source's id as an
 * identifier (system: the connector's base URL) and the source's versionId in an extension of meta. What would point
 * back into the source server is dropped: every reference other than a contained one ({@code #id}) keeps only its
 * display and identifier (an Encounter or Practitioner of the source is no resource here), the narrative goes (it
 * may link to the source), and so do the source's meta (profiles, tags) and id.
 */
final class ImportedMapping {

  /** The tag of every imported record. */
  static final String ORIGIN = "https://caduceus.health/fhir/CodeSystem/record-origin";
  /** The source's versionId of the record imported. */
  static final String SOURCE_VERSION = "https://caduceus.health/fhir/StructureDefinition/source-version-id";

  private ImportedMapping() {
  }

  /** The record as the facade serves it. */
  static DomainResource of(FhirContext fhir, ImportedResource r) {
    DomainResource resource = (DomainResource) fhir.newJsonParser()
        .setParserErrorHandler(new LenientErrorHandler(false)).parseResource(r.resource().encode());
    for (Reference reference : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      if (reference.hasReference() && !reference.getReference().startsWith("#")) {
        reference.setReference(null);
      }
    }
    resource.setText(null);
    resource.setId(r.id().toString());
    resource.setMeta(meta(r));
    String system = r.sourceUrl() != null ? r.sourceUrl() : "urn:uuid:" + r.connectorId();
    Identifier identifier = new Identifier().setSystem(system).setValue(r.remoteId());
    Reference patient = new Reference("Patient/" + r.patientId());
    if (resource instanceof Condition c) {
      c.addIdentifier(identifier).setSubject(patient);
    } else if (resource instanceof Observation o) {
      o.addIdentifier(identifier).setSubject(patient);
    } else if (resource instanceof MedicationRequest m) {
      m.addIdentifier(identifier).setSubject(patient);
      if (m.getMedication() instanceof Reference medication && medication.isEmpty()) {
        medication.setDisplay("A medication of the source record");
      }
    }
    return resource;
  }

  private static Meta meta(ImportedResource r) {
    Meta meta = new Meta().setVersionId(String.valueOf(r.version())).setLastUpdated(Date.from(r.updatedAt()));
    if (r.sourceUrl() != null) {
      meta.setSource(r.sourceUrl());
    }
    meta.addTag(ORIGIN, "imported", "Imported from a connected EHR");
    if (r.remoteVersion() != null) {
      meta.addExtension(SOURCE_VERSION, new StringType(r.remoteVersion()));
    }
    return meta;
  }
}
