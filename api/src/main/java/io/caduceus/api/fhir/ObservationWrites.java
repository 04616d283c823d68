package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.encounter.ChartSection;
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
  private final ChartEntryService entries;

  ObservationWrites(EncounterService encounters, ChartEntryService entries) {
    this.encounters = encounters;
    this.entries = entries;
  }

  /** Records the observation's vital sign(s) and answers it as stored. */
  Future<Observation> create(TenantContext ctx, Observation o) {
    return Access.check(ctx, Permission.VITALS_WRITE).compose(v -> record(ctx, o));
  }

  /**
   * Corrects a recorded vital sign's value (a blood pressure's two) at the encounter's {@code version}: the code,
   * the encounter and the subject stay as recorded.
   */
  Future<Observation> update(TenantContext ctx, UUID id, int version, Observation o) {
    return Access.check(ctx, Permission.VITALS_WRITE)
        .compose(v -> entries.get(ctx, ChartSection.VITALS, id))
        .compose(stored -> {
          List<JsonObject> vitals = vitals(o);
          String code = stored.diastolicId() == null ? stored.code() : ObservationMapping.BP_PANEL;
          if (!code.equals(loinc(o.getCode().getCoding(), "/code"))) {
            throw new Invalid("/code", "is the recorded vital sign's, " + code);
          }
          if (o.hasEncounter() && !stored.encounterId().equals(encounter(o))) {
            throw new Invalid("/encounter", "is the encounter the vital sign was recorded in");
          }
          UUID subject = subject(o);
          if (subject != null && !subject.equals(stored.patientId())) {
            throw new Invalid("/subject", "is the patient the vital sign was recorded for");
          }
          for (JsonObject v : vitals) {
            v.put("id", (v.getString("code").equals(ObservationMapping.DIASTOLIC) ? stored.diastolicId() : id)
                .toString());
          }
          ctx.audit().about(stored.encounterId());
          return encounters.correctVitals(ctx, stored.encounterId(), version, vitals)
              .map(e -> ObservationMapping.vital(recorded(e, stored.code(), id)));
        });
  }

  private Future<Observation> record(TenantContext ctx, Observation o) {
    boolean vitalSigns = o.getCategory().stream().flatMap(c -> c.getCoding().stream())
        .anyMatch(c -> ObservationMapping.CATEGORY.equals(c.getSystem()) && ObservationFhir.VITAL_SIGNS.equals(c.getCode()));
    if (!vitalSigns) {
      throw new Invalid("/category", "only vital-signs observations are created here; lab results come from the lab");
    }
    List<JsonObject> vitals = vitals(o);
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
        .map(e -> ObservationMapping.vital(recorded(e, vitals.stream().map(v -> v.getString("code"))
            .filter(ObservationMapping.SYSTOLIC::equals).findFirst().orElse(vitals.get(0).getString("code")), null)));
  }

  /** The vital signs an Observation gives: one, or a blood pressure panel's two. */
  private static List<JsonObject> vitals(Observation o) {
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
    return vitals;
  }

  /** The entry just recorded with the code (the newest), with a blood pressure's diastolic partner. */
  private static ChartEntry recorded(Encounter e, String code, UUID id) {
    JsonObject entry = id == null ? newest(e.vitals(), code) : byId(e.vitals(), id);
    JsonObject diastolic = code.equals(ObservationMapping.SYSTOLIC) ? sibling(e.vitals(), entry) : null;
    return new ChartEntry(UUID.fromString(entry.getString("id")), e.id(), e.patientId(), code,
        entry.getString("display"), decimal(entry), entry.getString("unit"),
        diastolic == null ? null : UUID.fromString(diastolic.getString("id")),
        diastolic == null ? null : decimal(diastolic), diastolic == null ? null : diastolic.getString("unit"), null,
        UUID.fromString(entry.getString("recordedBy")), Instant.parse(iso(entry.getString("recordedAt"))),
        EncounterStatus.OPEN, e.version());
  }

  private static JsonObject byId(JsonArray vitals, UUID id) {
    return vitals.stream().map(JsonObject.class::cast).filter(v -> id.toString().equals(v.getString("id")))
        .findFirst().orElseThrow();
  }

  /** The diastolic pressure recorded with a systolic one (the same statement, so the same time), if any. */
  private static JsonObject sibling(JsonArray vitals, JsonObject systolic) {
    return vitals.stream().map(JsonObject.class::cast)
        .filter(v -> ObservationMapping.DIASTOLIC.equals(v.getString("code"))
            && systolic.getString("recordedAt").equals(v.getString("recordedAt")))
        .findFirst().orElse(null);
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
