package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.patient.PatientService;
import io.caduceus.api.patient.ShownPatient;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code AllergyIntolerance}: the free-text allergies of the patient's clinical section, read through
 * {@link PatientService} so the caller's role decides whether they are present at all (a receptionist's patient has
 * no clinical section, so no allergies), audited as {@code patient.read} naming the patient. An allergy has no row of
 * its own: its id is the MD5 of {@code <patient id>|<allergy>} read as a UUID, stable while the entry stays, the
 * same in the database's {@code md5(...)::uuid} that finds its patient.
 */
public final class AllergyIntoleranceFhir implements FhirType {

  private static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
  private static final Map<String, List<String>> STATUSES = Map.of("active", List.of("active"));

  private final PatientService patients;
  private final Cursors cursors;

  public AllergyIntoleranceFhir(PatientService patients, Cursors cursors) {
    this.patients = patients;
    this.cursors = cursors;
  }

  @Override
  public String name() {
    return "AllergyIntolerance";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient (required, but for a patient's"
            + " own token)"),
        new SearchParameter("clinical-status", SearchParamType.TOKEN, "Always active"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the patient's record last changed"));
  }

  @Override
  public List<String> includes() {
    return List.of("AllergyIntolerance:patient");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    return "patient".equals(searchParameter)
        ? List.of(((AllergyIntolerance) resource).getPatient().getReference()) : List.of();
  }

  @Override
  public Future<AllergyIntolerance> read(TenantContext ctx, String id) {
    UUID allergyId = FhirHandlers.uuid(id, "allergy");
    return patients.allergyOwner(ctx, allergyId)
        .compose(owner -> patients.get(ctx, owner))
        .map(patient -> {
          ctx.audit().patient(patient.id());
          return of(patient).stream().filter(a -> a.getIdPart().equals(allergyId.toString())).findFirst()
              .orElseThrow(() -> new NotFound("no such allergy"));
        });
  }

  @Override
  public boolean searchNeedsPatient() {
    return true;
  }

  /** The patients' allergies; the permission to read patients is checked before the parameters are. */
  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    return Access.check(ctx, Permission.PATIENT_READ).compose(v -> matches(ctx, query));
  }

  private Future<FhirPage> matches(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    List<UUID> wanted = SearchValues.ids(query, "Patient", "patient")
        .orElseGet(() -> ctx.patientId().map(List::of).orElseThrow(() -> new Invalid("patient",
            "is required: allergies are searched per patient")));
    boolean active = SearchValues.tokens(query, "clinical-status", CLINICAL, STATUSES).map(s -> !s.isEmpty())
        .orElse(true);
    FhirQuery.DateRange updated = SearchValues.dates(query, "_lastUpdated");
    String filters = wanted + "|" + active + "|" + updated;
    int offset = query.cursor() == null ? 0
        : cursors.open(ctx, "allergy-search", filters, query.cursor()).getInteger("offset");
    List<Future<List<AllergyIntolerance>>> reads = new ArrayList<>();
    for (UUID patient : wanted) {
      reads.add(patients.get(ctx, patient).map(p -> active && within(p, updated) ? of(p) : List.<AllergyIntolerance>of())
          .recover(e -> e instanceof NotFound ? Future.succeededFuture(List.of()) : Future.failedFuture(e)));
    }
    return Future.all(reads).map(done -> {
      List<AllergyIntolerance> all = reads.stream().flatMap(f -> f.result().stream()).toList();
      if (query.summaryCount()) {
        return FhirPage.count(all.size());
      }
      List<AllergyIntolerance> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
      ctx.audit().patients(page.stream().map(a -> UUID.fromString(a.getPatient().getReferenceElement().getIdPart()))
          .distinct().toList());
      String next = offset + limit < all.size()
          ? cursors.seal(ctx, "allergy-search", filters, new JsonObject().put("offset", offset + limit)) : null;
      return FhirPage.of(page, next);
    });
  }

  private static boolean within(ShownPatient patient, FhirQuery.DateRange range) {
    Instant updated = Instant.parse(patient.json().getString("updatedAt"));
    return (range.from() == null || !updated.isBefore(range.from().toInstant()))
        && (range.to() == null || updated.isBefore(range.to().toInstant()));
  }

  /** The patient's allergies (none when the caller's projection has no clinical section), each once. */
  static List<AllergyIntolerance> of(ShownPatient patient) {
    JsonObject json = patient.json();
    JsonArray allergies = json.getJsonObject("clinical", new JsonObject()).getJsonArray("allergies", new JsonArray());
    Map<String, AllergyIntolerance> distinct = new LinkedHashMap<>();
    for (Object entry : allergies) {
      String substance = String.valueOf(entry);
      distinct.computeIfAbsent(substance, s -> allergy(patient, json, s));
    }
    return List.copyOf(distinct.values());
  }

  private static AllergyIntolerance allergy(ShownPatient patient, JsonObject json, String substance) {
    AllergyIntolerance allergy = new AllergyIntolerance();
    allergy.setId(id(patient.id(), substance).toString());
    allergy.getMeta().setVersionId(String.valueOf(patient.version()))
        .setLastUpdatedElement(new InstantType(json.getString("updatedAt")));
    allergy.getClinicalStatus().addCoding().setSystem(CLINICAL).setCode("active");
    allergy.getCode().setText(substance);
    allergy.setPatient(new Reference("Patient/" + patient.id()));
    return allergy;
  }

  /** An allergy's id: the MD5 of {@code <patient id>|<allergy>} as a UUID, as PostgreSQL's md5(...)::uuid reads it. */
  static UUID id(UUID patientId, String substance) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5")
          .digest((patientId + "|" + substance).getBytes(StandardCharsets.UTF_8));
      ByteBuffer bytes = ByteBuffer.wrap(md5);
      return new UUID(bytes.getLong(), bytes.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }
}
