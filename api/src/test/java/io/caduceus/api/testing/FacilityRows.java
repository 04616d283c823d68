package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform.TestTenant;

import java.util.UUID;

/**
 * Facilities of a test tenant, written straight into its place (its schema, or its own database): the facility API
 * is built apart from scheduling, whose tests only need sites to book at.
 */
public final class FacilityRows {

  private FacilityRows() {
  }

  /** Adds an active facility named {@code name} with its own time zone ({@code null}: the tenant's); its id. */
  public static String add(Clinic clinic, String name, String timeZone) {
    TestTenant tenant = clinic.tenant;
    UUID id = UUID.randomUUID();
    Sql.update(clinic.platform.superuser(tenant), "INSERT INTO \"" + tenant.place().schema() + "\".facility"
            + " (tenant_id, id, name, time_zone, created_by) VALUES (?, ?, ?, ?, ?)",
        tenant.id().value(), id, name, timeZone, clinic.admin.id());
    return id.toString();
  }
}
