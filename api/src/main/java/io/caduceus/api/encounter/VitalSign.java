package io.caduceus.api.encounter;

import io.caduceus.api.error.Invalid;

import java.util.List;

/**
 * The vital signs an encounter records: each a LOINC code with the UCUM units it may be given in, and the range
 * of values a person can physically have in each unit (a value outside it is a typing error, not a finding).
 */
public enum VitalSign {
  HEART_RATE("8867-4", "Heart rate", List.of(new Unit("/min", 20, 300))),
  RESPIRATORY_RATE("9279-1", "Respiratory rate", List.of(new Unit("/min", 2, 80))),
  SYSTOLIC_BLOOD_PRESSURE("8480-6", "Systolic blood pressure", List.of(new Unit("mm[Hg]", 40, 300))),
  DIASTOLIC_BLOOD_PRESSURE("8462-4", "Diastolic blood pressure", List.of(new Unit("mm[Hg]", 20, 200))),
  BODY_TEMPERATURE("8310-5", "Body temperature", List.of(new Unit("Cel", 25, 45), new Unit("[degF]", 77, 113))),
  BODY_WEIGHT("29463-7", "Body weight", List.of(new Unit("kg", 0.2, 500), new Unit("[lb_av]", 0.5, 1100))),
  BODY_HEIGHT("8302-2", "Body height", List.of(new Unit("cm", 20, 280), new Unit("[in_i]", 8, 110))),
  OXYGEN_SATURATION("59408-5", "Oxygen saturation in arterial blood by pulse oximetry",
      List.of(new Unit("%", 40, 100))),
  BODY_MASS_INDEX("39156-5", "Body mass index", List.of(new Unit("kg/m2", 5, 150)));

  /** A unit a vital sign may be recorded in, and the plausible range in that unit. */
  public record Unit(String code, double min, double max) {
  }

  private final String loinc;
  private final String display;
  private final List<Unit> units;

  VitalSign(String loinc, String display, List<Unit> units) {
    this.loinc = loinc;
    this.display = display;
    this.units = units;
  }

  /** The LOINC code. */
  public String loinc() {
    return loinc;
  }

  /** The LOINC display name. */
  public String display() {
    return display;
  }

  /** The vital sign with this LOINC code; {@code pointer} names the field for the error. */
  public static VitalSign of(String loinc, String pointer) {
    for (VitalSign sign : values()) {
      if (sign.loinc.equals(loinc)) {
        return sign;
      }
    }
    throw new Invalid(pointer, "not a vital sign this API records");
  }

  /** Checks that {@code value} is given in a unit of this sign and is physically plausible in it. */
  public void check(double value, String unit, String pointer) {
    Unit allowed = units.stream().filter(u -> u.code().equals(unit)).findFirst()
        .orElseThrow(() -> new Invalid(pointer + "/unit", display + " is recorded in "
            + String.join(" or ", units.stream().map(Unit::code).toList())));
    if (value < allowed.min() || value > allowed.max()) {
      throw new Invalid(pointer + "/value", display + " must be between " + allowed.min() + " and " + allowed.max()
          + " " + unit);
    }
  }
}
