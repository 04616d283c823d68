package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestTenant;

import java.util.List;

/**
 * A tenant's audit rows of one action, each as {@code "<type> <id> <patients> <outcome> <partner>"} (a dash for an
 * absent id or partner, patients as PostgreSQL prints an array), oldest first: what a test asserts a request wrote.
 */
public final class AuditRows {

  private static final String ROWS = "SELECT resource_type || ' ' || coalesce(resource_id::text, '-') || ' '"
      + " || patient_ids::text || ' ' || outcome || ' ' || coalesce(partner_tenant_id::text, '-') AS row"
      + " FROM audit_event WHERE tenant_id = ? AND action = ? ORDER BY occurred_at, id";

  private AuditRows() {
  }

  /** The rows of {@code action} that {@code tenant} recorded. */
  public static List<String> of(TestPlatform platform, TestTenant tenant, String action) {
    return Sql.query(platform.superuser(tenant), ROWS, tenant.id().value(), action).stream()
        .map(r -> (String) r.get("row")).toList();
  }

  /** One row as {@link #of} shows it. */
  public static String row(String type, Object id, List<?> patients, String outcome, Object partner) {
    return type + " " + (id == null ? "-" : id) + " {" + String.join(",", patients.stream().map(String::valueOf)
        .toList()) + "} " + outcome + " " + (partner == null ? "-" : partner);
  }
}
