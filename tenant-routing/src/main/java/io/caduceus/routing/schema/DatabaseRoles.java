package io.caduceus.routing.schema;

import java.util.Map;

/**
 * The three database roles: the owner runs migrations and owns every object; the app role owns nothing, has
 * NOBYPASSRLS, and is what the server connects as; the scanner cannot log in and only lends its rights to the
 * functions that find which tenants have pending work (unsealed audit events, due outbox messages); they return
 * tenant ids, never rows.
 */
public record DatabaseRoles(String owner, String ownerPassword, String app, String appPassword, String scanner) {

  public DatabaseRoles {
    for (String name : new String[] {owner, app, scanner}) {
      if (!SqlIdentifier.isPlain(name)) {
        throw new IllegalArgumentException("role names must be lower-case SQL identifiers");
      }
    }
    ownerPassword = ownerPassword == null ? "" : ownerPassword;
    appPassword = appPassword == null ? "" : appPassword;
  }

  /** The default role names, with the given passwords. */
  public static DatabaseRoles defaults(String ownerPassword, String appPassword) {
    return new DatabaseRoles("caduceus_owner", ownerPassword, "caduceus_app", appPassword, "caduceus_scanner");
  }

  /** The Flyway placeholders that name these roles inside migrations. */
  public Map<String, String> placeholders() {
    return Map.of("app_role", app, "scanner_role", scanner, "owner_role", owner);
  }
}
