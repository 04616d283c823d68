package io.caduceus.api.connector;

import ca.uhn.fhir.parser.IParser;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.connector.ImportTally.Outcome;
import io.caduceus.api.connector.ImportedRecords.Provenance;
import io.caduceus.api.connector.ImportedRecords.Remote;
import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Imports one remote resource: a Patient is matched by its identifiers (else created through {@link PatientService}
 * with a new MRN) and updated when its remote version changes; a Condition, Observation or MedicationRequest is
 * held with its subject pointing at our patient. Each row's provenance makes a rerun change nothing. Every write
 * records an audit event in its own transaction, naming the job's starter and the patient.
 */
final class ResourceImport {

  private static final String IDENTIFIER_PURPOSE = "patient.external_identifier";

  private final TenantDb db;
  private final PatientService patients;
  private final AuditTrail audit;
  private final ImportedRecords records = new ImportedRecords();

  ResourceImport(TenantDb db, PatientService patients, AuditTrail audit) {
    this.db = db;
    this.patients = patients;
    this.audit = audit;
  }

  /** Imports the resource, failing with a reason that names no value of it when it cannot be held. */
  Future<Outcome> run(TenantContext ctx, TenantKeys keys, IParser parser, Remote remote, DomainResource resource) {
    return db.once(ctx, conn -> records.find(conn, remote.connectorId(), remote.type(), remote.remoteId()))
        .compose(known -> resource instanceof Patient patient ? patient(ctx, keys, remote, patient, known)
            : clinical(ctx, parser, remote, resource, known));
  }

  private Future<Outcome> patient(TenantContext ctx, TenantKeys keys, Remote remote, Patient patient,
                                  Optional<Provenance> known) {
    JsonObject body = demographics(patient);
    if (known.isPresent()) {
      if (known.get().sameVersion(remote.versionId(), remote.lastUpdated())) {
        return Future.succeededFuture(Outcome.UNCHANGED);
      }
      UUID id = known.get().patientId();
      return patients.get(ctx, id).compose(current -> patients.update(ctx, id, current.version(), body))
          .compose(updated -> db.inTenant(ctx, conn -> records.update(conn, remote, id, null)
              .compose(v -> identify(conn, ctx, keys, patient, id))
              .compose(v -> audit.record(conn, ctx, AuditEvent.of("ehr_import.update", "patient", id, id)))))
          .map(Outcome.UPDATED);
    }
    return db.once(ctx, conn -> matchByIdentifier(conn, keys, patient.getIdentifier(), 0))
        .compose(matched -> matched.isPresent() ? Future.succeededFuture(new Linked(matched.get(), Outcome.UNCHANGED))
            : patients.create(ctx, body).map(created -> new Linked(created.id(), Outcome.CREATED)))
        .compose(linked -> db.inTenant(ctx, conn -> records.insert(conn, ctx, remote, UuidV7.next(),
                linked.patientId(), null)
            .compose(v -> identify(conn, ctx, keys, patient, linked.patientId()))
            .compose(v -> audit.record(conn, ctx, AuditEvent.of(linked.outcome() == Outcome.CREATED
                ? "ehr_import.create" : "ehr_import.link", "patient", linked.patientId(), linked.patientId()))))
            .map(linked.outcome()));
  }

  private record Linked(UUID patientId, Outcome outcome) {
  }

  private Future<Optional<UUID>> matchByIdentifier(SqlConnection conn, TenantKeys keys,
                                                   List<Identifier> identifiers, int from) {
    if (from >= identifiers.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    Identifier identifier = identifiers.get(from);
    if (!identifier.hasSystem() || !identifier.hasValue()) {
      return matchByIdentifier(conn, keys, identifiers, from + 1);
    }
    return records.patientByIdentifier(conn, identifier.getSystem(), index(keys, identifier))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found)
            : matchByIdentifier(conn, keys, identifiers, from + 1));
  }

  private Future<Void> identify(SqlConnection conn, TenantContext ctx, TenantKeys keys,
                                Patient patient, UUID patientId) {
    Future<Void> chain = Future.succeededFuture();
    for (Identifier identifier : patient.getIdentifier()) {
      if (identifier.hasSystem() && identifier.hasValue()) {
        chain = chain.compose(v -> records.addIdentifier(conn, ctx, identifier.getSystem(), index(keys, identifier),
            patientId));
      }
    }
    return chain;
  }

  private static byte[] index(TenantKeys keys, Identifier identifier) {
    return keys.blindIndex(IDENTIFIER_PURPOSE, identifier.getSystem() + "|" + identifier.getValue().trim());
  }

  /** The patient's demographics as {@code PatientService} takes them ({@code PatientCreate}). */
  private static JsonObject demographics(Patient patient) {
    HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
        .orElse(patient.getNameFirstRep());
    if (!name.hasFamily() || name.getFamily().isBlank()) {
      throw new ImportRefused("the patient has no family name");
    }
    JsonObject body = new JsonObject().put("name", new JsonObject().put("family", name.getFamily().trim()));
    if (name.hasGiven()) {
      body.getJsonObject("name").put("given", name.getGivenAsSingleString().trim());
    }
    if (patient.hasBirthDateElement()) {
      String date = patient.getBirthDateElement().getValueAsString();
      if (date == null || date.length() != 10) {
        throw new ImportRefused("the patient's birth date is not a full date");
      }
      body.put("birthDate", date);
    }
    body.put("sex", patient.hasGender() ? patient.getGender().toCode() : "unknown");
    if ("null".equals(body.getString("sex"))) {
      body.put("sex", "unknown");
    }
    return body;
  }

  private Future<Outcome> clinical(TenantContext ctx, IParser parser, Remote remote, DomainResource resource,
                                   Optional<Provenance> known) {
    Reference subject = subjectOf(resource);
    if (subject == null || !subject.hasReference()
        || !"Patient".equals(subject.getReferenceElement().getResourceType())) {
      return Future.failedFuture(new ImportRefused("it has no Patient subject"));
    }
    if (known.isPresent() && known.get().sameVersion(remote.versionId(), remote.lastUpdated())) {
      return Future.succeededFuture(Outcome.UNCHANGED);
    }
    String remotePatient = subject.getReferenceElement().getIdPart();
    return db.inTenant(ctx, conn -> records.find(conn, remote.connectorId(), "Patient", remotePatient)
        .compose(patient -> {
          if (patient.isEmpty()) {
            return Future.failedFuture(new ImportRefused("its subject patient was not imported"));
          }
          UUID patientId = patient.get().patientId();
          resource.setId((String) null);
          subjectOf(resource).setReference("Patient/" + patientId).setDisplay(null);
          JsonObject held = new JsonObject(parser.encodeResourceToString(resource));
          UUID id = known.map(Provenance::id).orElseGet(UuidV7::next);
          Future<Void> write = known.isPresent() ? records.update(conn, remote, patientId, held)
              : records.insert(conn, ctx, remote, id, patientId, held);
          return write.compose(v -> audit.record(conn, ctx, AuditEvent.of(known.isPresent() ? "ehr_import.update"
                  : "ehr_import.create", "imported_record", id, patientId)))
              .map(known.isPresent() ? Outcome.UPDATED : Outcome.CREATED);
        }));
  }

  private static Reference subjectOf(DomainResource resource) {
    if (resource instanceof Condition condition) {
      requireCode(condition.hasCode());
      return condition.getSubject();
    }
    if (resource instanceof Observation observation) {
      requireCode(observation.hasCode());
      return observation.getSubject();
    }
    if (resource instanceof MedicationRequest request) {
      requireCode(request.hasMedication());
      return request.getSubject();
    }
    throw new ImportRefused("its type is not imported");
  }

  private static void requireCode(boolean present) {
    if (!present) {
      throw new ImportRefused("it has no code");
    }
  }
}
