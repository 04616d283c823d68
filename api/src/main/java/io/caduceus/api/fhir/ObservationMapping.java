package io.caduceus.api.fhir;

import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.EncounterStatus;
import io.caduceus.api.lab.FiledResult;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Vital signs and lab results as FHIR Observations: LOINC codes, UCUM units, the R4 vital-signs profile's shape. */
final class ObservationMapping {

  static final String LOINC = "http://loinc.org";
  static final String UCUM = "http://unitsofmeasure.org";
  static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
  static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  static final String VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
  /** The blood pressure panel; its components are the systolic and diastolic pressures. */
  static final String BP_PANEL = "85354-9";
  static final String SYSTOLIC = "8480-6";
  static final String DIASTOLIC = "8462-4";

  /** The R4 profile of each vital sign (besides the generic one). */
  private static final Map<String, String> PROFILES = Map.of(
      "8867-4", "heartrate", "9279-1", "resprate", "8310-5", "bodytemp", "29463-7", "bodyweight",
      "8302-2", "bodyheight", "39156-5", "bmi", BP_PANEL, "bp");

  private static final Map<String, String> FLAGS = Map.of("N", "Normal", "L", "Low", "H", "High",
      "LL", "Critical low", "HH", "Critical high", "A", "Abnormal");

  private ObservationMapping() {
  }

  /** A vital sign (a blood pressure as the panel of its two pressures). */
  static Observation vital(ChartEntry e) {
    boolean bp = e.code().equals(SYSTOLIC) && e.diastolic() != null;
    String code = bp ? BP_PANEL : e.code();
    Observation o = base(e.id(), e.patientId(), e.encounterId(), e.recordedAt());
    // A vital sign changes as part of its encounter, under the encounter's version (as /v1 changes it).
    o.getMeta().setVersionId(String.valueOf(e.encounterVersion()));
    o.getMeta().addProfile(VITAL_SIGNS_PROFILE);
    if (PROFILES.containsKey(code)) {
      o.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/" + PROFILES.get(code));
    }
    o.setStatus(e.encounterStatus() == EncounterStatus.SIGNED ? Observation.ObservationStatus.FINAL
        : Observation.ObservationStatus.PRELIMINARY);
    o.addCategory().addCoding().setSystem(CATEGORY).setCode(ObservationFhir.VITAL_SIGNS).setDisplay("Vital Signs");
    if (bp) {
      o.setCode(loinc(BP_PANEL, "Blood pressure panel with all children optional"));
      o.addComponent().setCode(loinc(SYSTOLIC, "Systolic blood pressure")).setValue(quantity(e.value(), e.unit()));
      o.addComponent().setCode(loinc(DIASTOLIC, "Diastolic blood pressure"))
          .setValue(quantity(e.diastolic(), e.diastolicUnit()));
    } else {
      o.setCode(loinc(e.code(), e.display()));
      if (e.code().equals("59408-5")) {
        // The R4 oxygen saturation profile names the code of oxygen saturation in arterial blood too.
        o.getCode().addCoding().setSystem(LOINC).setCode("2708-6").setDisplay("Oxygen saturation in Arterial blood");
      }
      o.setValue(quantity(e.value(), e.unit()));
    }
    return o;
  }

  /** A lab result, with its interpretation and reference range. */
  static Observation lab(FiledResult r) {
    Observation o = base(r.id(), r.patientId(), r.encounterId(), r.resultedAt());
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory().addCoding().setSystem(CATEGORY).setCode(ObservationFhir.LABORATORY).setDisplay("Laboratory");
    o.setCode(loinc(r.code(), r.display()));
    if (r.value() != null) {
      o.setValue(quantity(r.value(), r.unit()));
    } else {
      o.setValue(new org.hl7.fhir.r4.model.StringType(r.valueText()));
    }
    o.addInterpretation().addCoding().setSystem(INTERPRETATION).setCode(r.flag()).setDisplay(FLAGS.get(r.flag()));
    if (r.low() != null || r.high() != null || r.rangeText() != null) {
      Observation.ObservationReferenceRangeComponent range = o.addReferenceRange();
      if (r.low() != null) {
        range.setLow(simple(r.low(), r.unit()));
      }
      if (r.high() != null) {
        range.setHigh(simple(r.high(), r.unit()));
      }
      if (r.rangeText() != null) {
        range.setText(r.rangeText());
      }
    }
    return o;
  }

  private static Observation base(java.util.UUID id, java.util.UUID patient, java.util.UUID encounter, Instant at) {
    Observation o = new Observation();
    o.setId(id.toString());
    // A lab result is never changed: it has one version.
    o.getMeta().setVersionId("1").setLastUpdatedElement(new InstantType(Date.from(at)));
    o.setSubject(new Reference("Patient/" + patient));
    if (encounter != null) {
      o.setEncounter(new Reference("Encounter/" + encounter));
    }
    o.setEffective(new DateTimeType(Date.from(at)));
    o.setIssued(Date.from(at));
    return o;
  }

  static CodeableConcept loinc(String code, String display) {
    CodeableConcept concept = new CodeableConcept();
    concept.addCoding().setSystem(LOINC).setCode(code).setDisplay(display);
    return concept.setText(display);
  }

  private static Quantity quantity(BigDecimal value, String unit) {
    Quantity q = new Quantity().setValue(value);
    if (unit != null) {
      q.setUnit(unit).setSystem(UCUM).setCode(unit);
    }
    return q;
  }

  private static SimpleQuantity simple(BigDecimal value, String unit) {
    SimpleQuantity q = new SimpleQuantity();
    q.setValue(value);
    if (unit != null) {
      q.setUnit(unit).setSystem(UCUM).setCode(unit);
    }
    return q;
  }
}
