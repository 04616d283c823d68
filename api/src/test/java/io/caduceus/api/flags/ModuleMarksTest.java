package io.caduceus.api.flags;

import io.caduceus.api.http.Contract;
import io.caduceus.api.http.ModuleGate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract marks every operation of a module with {@code x-caduceus-module}, and only those: the router's one
 * gate reads the mark, so an operation left unmarked would stay open while its module is off.
 */
class ModuleMarksTest {

  /** Which paths belong to which module (FHIR resources by what they carry: MedicationRequest is a prescription). */
  private static final Map<Pattern, String> MODULE_PATHS = new LinkedHashMap<>();

  static {
    MODULE_PATHS.put(Pattern.compile("^/v1/prescriptions(/|$)"), "e_prescribing");
    MODULE_PATHS.put(Pattern.compile("^/v1/interaction-rules(/|$)"), "e_prescribing");
    MODULE_PATHS.put(Pattern.compile("^/fhir/r4/Medication(Request|Dispense)(/|$)"), "e_prescribing");
    MODULE_PATHS.put(Pattern.compile("^/v1/lab-orders(/|$)"), "lab_orders");
    MODULE_PATHS.put(Pattern.compile("^/fhir/r4/(ServiceRequest|DiagnosticReport)(/|$)"), "lab_orders");
    MODULE_PATHS.put(Pattern.compile("^/v1/claims(/|$)"), "billing");
    MODULE_PATHS.put(Pattern.compile("^/v1/charges$"), "billing");
    MODULE_PATHS.put(Pattern.compile("^/v1/encounters/\\{encounterId}/charges$"), "billing");
    MODULE_PATHS.put(Pattern.compile("^/v1/fees(/|$)"), "billing");
    MODULE_PATHS.put(Pattern.compile("^/fhir/r4/Claim(Response)?(/|$)"), "billing");
    MODULE_PATHS.put(Pattern.compile("^/v1/campaigns(/|$)"), "crm_campaigns");
    MODULE_PATHS.put(Pattern.compile("^/v1/engagement/care-rules(/|$)"), "crm_campaigns");
    MODULE_PATHS.put(Pattern.compile("^/v1/(portal/)?surveys(/|$)"), "surveys");
    MODULE_PATHS.put(Pattern.compile("^/v1/portal/secure-messages(/|$)"), "secure_messages");
    MODULE_PATHS.put(Pattern.compile("^/v1/patients/\\{patientId}/secure-messages(/|$)"), "secure_messages");
    MODULE_PATHS.put(Pattern.compile("^/v1/telehealth/"), "telehealth");
  }

  @Test
  void everyOperationOfAModuleCarriesItsMarkAndNoOtherOperationCarriesOne() {
    JsonObject paths = Contract.load().document().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int marked = 0;
    for (String path : paths.fieldNames()) {
      String expected = MODULE_PATHS.entrySet().stream().filter(e -> e.getKey().matcher(path).find())
          .map(Map.Entry::getValue).findFirst().orElse(null);
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        if (op == null) {
          continue;
        }
        String mark = op.getString(ModuleGate.MARK);
        if (mark != null) {
          marked++;
          if (ProductModule.fromWire(mark).isEmpty()) {
            failures.add(method + " " + path + ": names no module: " + mark);
          }
        }
        if (expected == null ? mark != null : !expected.equals(mark)) {
          failures.add(method + " " + path + ": marked " + mark + ", expected " + expected);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(marked).as("operations marked").isGreaterThan(70);
  }
}
