package io.caduceus.api.lab;

import io.caduceus.api.codes.Loinc;
import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One resulted observation: a LOINC code, a numeric value with its unit or a text value, the reference range
 * and the abnormal flag (HL7 table 0078: N, L, H, LL, HH, A). A numeric result with a range and no flag is
 * flagged by comparing it with the range; the lab may always set the flag itself (critical values).
 */
public record LabResult(String code, String display, BigDecimal value, String valueText, String unit, BigDecimal low,
                        BigDecimal high, String rangeText, String flag, Instant resultedAt) {

  private static final Set<String> ABNORMAL = Set.of("L", "H", "LL", "HH", "A");

  /**
   * Reads and checks a result as the lab enters it (or as it arrives at the clinic); {@code at} is the pointer.
   * Without a display name of its own, a result takes the ordered test's, or else its code.
   */
  static LabResult from(JsonObject json, String at, Instant now, Map<String, String> orderedDisplays) {
    String code = Loinc.require(json.getString("code"), at + "/code");
    Number number = json.getNumber("value");
    String text = json.getString("valueText");
    if ((number == null) == (text == null)) {
      throw new Invalid(at, "a result has either a numeric value or a text value");
    }
    BigDecimal value = number == null ? null : new BigDecimal(number.toString());
    JsonObject range = json.getJsonObject("referenceRange", new JsonObject());
    BigDecimal low = decimal(range.getNumber("low"));
    BigDecimal high = decimal(range.getNumber("high"));
    if (low != null && high != null && low.compareTo(high) > 0) {
      throw new Invalid(at + "/referenceRange", "the low end is above the high end");
    }
    String flag = json.getString("flag", flag(value, low, high));
    String resulted = json.getString("resultedAt");
    String display = json.getString("display", orderedDisplays.getOrDefault(code, code));
    return new LabResult(code, display, value, text, json.getString("unit"), low, high,
        range.getString("text"), flag, resulted == null ? now : Instant.parse(resulted));
  }

  private static String flag(BigDecimal value, BigDecimal low, BigDecimal high) {
    if (value != null && low != null && value.compareTo(low) < 0) {
      return "L";
    }
    if (value != null && high != null && value.compareTo(high) > 0) {
      return "H";
    }
    return "N";
  }

  private static BigDecimal decimal(Number n) {
    return n == null ? null : new BigDecimal(n.toString());
  }

  /** Whether the result is outside its normal range. */
  public boolean abnormal() {
    return ABNORMAL.contains(flag);
  }

  /** Whether the result is critical (panic) low or high. */
  public boolean critical() {
    return "LL".equals(flag) || "HH".equals(flag);
  }

  /** The result as it travels back to the ordering clinic (and as the contract shows it). */
  JsonObject toJson() {
    return new JsonObject().put("code", code).put("display", display).put("value", value).put("valueText", valueText)
        .put("unit", unit).put("referenceRange", new JsonObject().put("low", low).put("high", high).put("text", rangeText))
        .put("flag", flag).put("resultedAt", resultedAt.toString());
  }
}
