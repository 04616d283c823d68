package io.caduceus.api.isolation;

import io.caduceus.routing.IsolationTier;

/** Every tenant isolation test, with both clinics onboarded in a schema of its own (plus row-level security). */
class SchemaTierIsolationTest extends TenantIsolationTest {

  @Override
  IsolationTier tier() {
    return IsolationTier.SCHEMA;
  }
}
