package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform;
import org.junit.jupiter.api.BeforeEach;

/** The base of tests that each run against a fresh clinic in the US region, driven through the API. */
public abstract class ClinicFixture {

  protected final TestPlatform platform = TestPlatform.get();
  protected final Api api = platform.api();
  protected Clinic clinic;

  /** A new clinic for every test, so no test sees another's rows. */
  @BeforeEach
  protected void aClinic() {
    clinic = Clinic.in("us");
  }
}
