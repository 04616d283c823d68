package io.caduceus.api.emergency;

import io.caduceus.routing.IsolationTier;

/** Every break-glass case, with the clinics onboarded in a schema of their own. */
class SchemaTierEmergencyAccessTest extends EmergencyAccessTest {

  @Override
  IsolationTier tier() {
    return IsolationTier.SCHEMA;
  }
}
