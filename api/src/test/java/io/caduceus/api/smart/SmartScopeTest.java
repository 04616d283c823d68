package io.caduceus.api.smart;

import io.caduceus.api.error.Forbidden;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmartScopeTest {

  private static final Set<String> PHYSICIAN = io.caduceus.api.access.Role.permissionKeys(Set.of("physician"));

  @Test
  void v1AndV2ScopesParseToReadAndWrite() {
    assertThat(SmartScope.parse("patient/*.read")).contains(new SmartScope("patient", "*", true, false));
    assertThat(SmartScope.parse("user/Observation.write")).contains(new SmartScope("user", "Observation", false, true));
    assertThat(SmartScope.parse("system/*.*")).contains(new SmartScope("system", "*", true, true));
    assertThat(SmartScope.parse("patient/Observation.rs")).contains(new SmartScope("patient", "Observation", true, false));
    assertThat(SmartScope.parse("user/Patient.cruds")).contains(new SmartScope("user", "Patient", true, true));
    assertThat(SmartScope.parse("user/Patient.cu")).contains(new SmartScope("user", "Patient", false, true));
  }

  @Test
  void malformedAndNarrowedScopesGrantNothing() {
    assertThat(SmartScope.parse("patient/Observation.sr")).isEmpty();
    assertThat(SmartScope.parse("patient/Observation.rs?category=laboratory")).isEmpty();
    assertThat(SmartScope.parse("admin/*.read")).isEmpty();
    assertThat(SmartScope.parse("openid")).isEmpty();
    assertThat(SmartScope.all("openid launch/patient patient/Patient.rs")).hasSize(1);
  }

  @Test
  void permissionsAreTheRolesThatTheScopesAllow() {
    Set<String> patientRead = SmartAccess.confine("system/Patient.rs", "/fhir/r4/Patient/1", false, PHYSICIAN);
    assertThat(patientRead).contains("patient.read", "patient.contact.read").doesNotContain("patient.clinical.read",
        "patient.identifiers.read", "patient.create");
    assertThat(SmartAccess.confine("system/Observation.rs", "/fhir/r4/Observation", false, PHYSICIAN))
        .containsExactly("patient.clinical.read");
  }

  @Test
  void scopedTokensReachOnlyTheFhirApiAndPatientScopesNeedAPatient() {
    assertThatThrownBy(() -> SmartAccess.confine("system/*.read", "/v1/patients", false, PHYSICIAN))
        .isInstanceOf(Forbidden.class);
    assertThatThrownBy(() -> SmartAccess.confine("patient/*.read", "/fhir/r4/Patient/1", false, PHYSICIAN))
        .isInstanceOf(Forbidden.class);
    assertThat(SmartAccess.confine("patient/*.read", "/fhir/r4/Patient/1", true, PHYSICIAN)).contains("patient.read");
  }
}
