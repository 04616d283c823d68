package io.caduceus.api.boot;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.TenantCatalog;

/** The test node's parts that the routing and throttling tests drive directly. */
public final class NodeParts {

  private NodeParts() {
  }

  /** The test node's tenant catalog. */
  public static TenantCatalog catalog() {
    return TestPlatform.get().app().assembly().catalog;
  }

  /** The test node's control plane. */
  public static ControlPlane controlPlane() {
    return TestPlatform.get().app().assembly().controlPlane;
  }

  /** The test node's backfill of engagement settings into the configuration store. */
  public static io.caduceus.api.config.TenantLevelBackfill engagementBackfill() {
    return TestPlatform.get().app().assembly().engagement.backfill;
  }

  /** The test node's backfill of telehealth settings into the configuration store. */
  public static io.caduceus.api.config.TenantLevelBackfill telehealthBackfill() {
    return TestPlatform.get().app().assembly().telehealth.backfill;
  }

  /** The test node's login (and public code) throttle. */
  public static LoginThrottle throttle() {
    return TestPlatform.get().app().assembly().access.throttle;
  }
}
