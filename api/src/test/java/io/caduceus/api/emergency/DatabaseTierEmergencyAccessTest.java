package io.caduceus.api.emergency;

import io.caduceus.routing.IsolationTier;

/** Every break-glass case, with the clinics onboarded in a database of their own. */
class DatabaseTierEmergencyAccessTest extends EmergencyAccessTest {

  @Override
  IsolationTier tier() {
    return IsolationTier.DATABASE;
  }
}
