package io.caduceus.api.isolation;

import io.caduceus.routing.IsolationTier;

/** Every scoped access case, with the clinics onboarded in a database of their own. */
class DatabaseTierScopedAccessTest extends ScopedAccessTest {

  @Override
  IsolationTier tier() {
    return IsolationTier.DATABASE;
  }
}
