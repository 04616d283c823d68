package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.Encounter;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.encounter.EncounterStatus;
import io.caduceus.api.error.Invalid;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creating vital-sign Observations: each is recorded on its encounter by {@link EncounterService#recordVitals}, so
 * the rules (who may, an open encounter, LOINC codes in the units and ranges it accepts) and the audit record
 * ({@code encounter.vitals}, naming the encounter and its patient) are {@code /v1}'s. A blood pressure panel records
 * its two pressures. Lab results arrive from the lab, never through this API.
 */
final class ObservationWrites {

  private final EncounterService encounters;

  ObservationWrites(EncounterService encounters) {
    this.encounters = encounters;
  }

  /** Records the observation's vital sign(s) and answers it as stored. */
  Future<Observation> create(TenantContext ctx, Observation o) {
    return Access.check(ctx, Permission.VITALS_WRITE).compose(v -> record(ctx, o));
  }

  private Future<Observation> record(TenantContext ctx, Observation o) {
    boolean vitalSigns = o.getCategory().stream().flatMap(c -> c.getCoding().stream())
        .anyMatch(c -> ObservationMapping.CATEGORY.equals(c.getSystem()) && ObservationFhir.VITAL_SIGNS.equals(c.getCode()));
    if (!vitalSigns) {
      throw new Invalid("/category", "only vital-signs observations are created here; lab results come from the lab");
    }
    String code = loinc(o.getCode().getCoding(), "/code");
    List<JsonObject> vitals = new ArrayList<>();
    if (code.equals(ObservationMapping.BP_PANEL)) {
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        vitals.add(vital(loinc(c.getCode().getCoding(), "/component/code"), c.getValue(), "/component/value"));
      }
      if (vitals.size() != 2 || vitals.stream().map(v -> v.getString("code")).distinct().count() != 2
          || !vitals.stream().allMatch(v -> v.getString("code").equals(ObservationMapping.SYSTOLIC)
              || v.getString("code").equals(ObservationMapping.DIASTOLIC))) {
        throw new Invalid("/component", "a blood pressure has a systolic (8480-6) and a diastolic (8462-4) component");
      }
    } else {
      vitals.add(vital(code, o.getValue(), "/valueQuantity"));
    }
    UUID encounter = encounter(o);
    UUID subject = subject(o);
    return encounters.get(ctx, encounter)
        .compose(e -> {
          if (subject != null && !subject.equals(e.patientId())) {
            throw new Invalid("/subject", "is not the patient of the encounter");
          }
          ctx.audit().about(encounter);
          return encounters.recordVitals(ctx, encounter, vitals);
        })
        .map(e -> ObservationMapping.vital(recorded(e, vitals.get(0).getString("code"))));
  }

  /** The entry just recorded with the code (the newest), with a blood pressure's diastolic partner. */
  private static ChartEntry recorded(Encounter e, String code) {
    JsonObject entry = newest(e.vitals(), code);
    JsonObject diastolic = code.equals(ObservationMapping.SYSTOLIC) ? newest(e.vitals(), ObservationMapping.DIASTOLIC)
        : null;
    return new ChartEntry(UUID.fromString(entry.getString("id")), e.id(), e.patientId(), code,
        entry.getString("display"), decimal(entry), entry.getString("unit"),
        diastolic == null ? null : decimal(diastolic), diastolic == null ? null : diastolic.getString("unit"), null,
        UUID.fromString(entry.getString("recordedBy")), Instant.parse(iso(entry.getString("recordedAt"))),
        EncounterStatus.OPEN);
  }

  private static JsonObject newest(JsonArray vitals, String code) {
    JsonObject found = null;
    for (int i = 0; i < vitals.size(); i++) {
      if (code.equals(vitals.getJsonObject(i).getString("code"))) {
        found = vitals.getJsonObject(i);
      }
    }
    return found;
  }

  private static BigDecimal decimal(JsonObject entry) {
    return new BigDecimal(entry.getValue("value").toString());
  }

  /** PostgreSQL's jsonb timestamps have an offset and no 'Z'; Instant wants an ISO instant. */
  private static String iso(String timestamp) {
    return java.time.OffsetDateTime.parse(timestamp).toInstant().toString();
  }

  private static JsonObject vital(String code, org.hl7.fhir.r4.model.Type value, String at) {
    if (!(value instanceof Quantity q) || !q.hasValue()) {
      throw new Invalid(at, "a vital sign has a valueQuantity");
    }
    if (q.hasSystem() && !ObservationMapping.UCUM.equals(q.getSystem()) || !q.hasCode()) {
      throw new Invalid(at, "the unit is a UCUM code (system http://unitsofmeasure.org)");
    }
    return new JsonObject().put("code", code).put("value", q.getValue().doubleValue()).put("unit", q.getCode());
  }

  private static String loinc(List<Coding> codings, String at) {
    return codings.stream().filter(c -> ObservationMapping.LOINC.equals(c.getSystem()) && c.hasCode())
        .map(Coding::getCode).findFirst()
        .orElseThrow(() -> new Invalid(at, "needs a LOINC coding (system http://loinc.org)"));
  }

  private static UUID encounter(Observation o) {
    return FhirQuery.referenceId(o.getEncounter().getReference() == null ? "" : o.getEncounter().getReference(),
            "Encounter").flatMap(ObservationWrites::uuid)
        .orElseThrow(() -> new Invalid("/encounter", "names the open encounter the vital signs belong to"));
  }

  private static UUID subject(Observation o) {
    if (!o.hasSubject()) {
      return null;
    }
    return FhirQuery.referenceId(o.getSubject().getReference() == null ? "" : o.getSubject().getReference(),
            "Patient").flatMap(ObservationWrites::uuid)
        .orElseThrow(() -> new Invalid("/subject", "is a Patient reference"));
  }

  private static java.util.Optional<UUID> uuid(String id) {
    try {
      return id.length() == 36 ? java.util.Optional.of(UUID.fromString(id)) : java.util.Optional.empty();
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
