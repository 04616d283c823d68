package io.caduceus.api.isolation;

import io.caduceus.routing.IsolationTier;

/** Every scoped access case, with the clinics onboarded in a schema of their own. */
class SchemaTierScopedAccessTest extends ScopedAccessTest {

  @Override
  IsolationTier tier() {
    return IsolationTier.SCHEMA;
  }
}
