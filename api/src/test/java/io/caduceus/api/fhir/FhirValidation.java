package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's own {@link FhirInstanceValidator} over the R4 core profiles: what the facade answers must validate with no
 * error. Built once per test JVM (loading the core structure definitions takes seconds).
 */
public final class FhirValidation {

  private static FhirValidator validator;

  private FhirValidation() {
  }

  /** The shared R4 context of the tests. */
  public static FhirContext context() {
    return FhirContext.forR4Cached();
  }

  private static synchronized FhirValidator validator() {
    if (validator == null) {
      FhirContext ctx = context();
      ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(ctx),
          new SnapshotGeneratingValidationSupport(ctx), new InMemoryTerminologyServerValidationSupport(ctx),
          new CommonCodeSystemsTerminologyService(ctx));
      validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }
    return validator;
  }

  /** The validator's errors and fatal messages for a resource (JSON text), as "location: message" lines. */
  public static List<String> errors(String json) {
    ValidationResult result = validator().validateWithResult(json);
    return result.getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(FhirValidation::line).toList();
  }

  /** Fails unless the resource validates against the R4 core profiles with no error. */
  public static void assertValid(String json) {
    assertThat(errors(json)).as("FHIR validation errors of %s", json).isEmpty();
  }

  private static String line(SingleValidationMessage m) {
    return m.getLocationString() + ": " + m.getMessage();
  }
}
