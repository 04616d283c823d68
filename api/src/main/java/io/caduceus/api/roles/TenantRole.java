package io.caduceus.api.roles;

import io.caduceus.api.access.MemberAccesses;
import io.caduceus.api.patient.PatientSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A role a tenant defined: its own permissions, optionally on top of a base role. The patient sections its members
 * see are derived from the permissions it gives, so the projection can never contradict them.
 */
record TenantRole(UUID id, String name, String description, String basedOn, List<String> permissions, int version,
                  Instant createdAt, Instant updatedAt) {

  static TenantRole fromRow(Row row) {
    return new TenantRole(row.getUUID("id"), row.getString("name"), row.getString("description"),
        row.getString("based_on"), List.of(row.getArrayOfStrings("permissions")), row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** Every permission the role gives: its base role's and its own. */
  Set<String> effective() {
    return MemberAccesses.permissions(basedOn, permissions);
  }

  /** The patient sections a holder of these permissions sees. */
  static List<String> sections(Set<String> permissions) {
    return java.util.Arrays.stream(PatientSection.values()).filter(s -> permissions.contains(s.read().key()))
        .map(PatientSection::wire).toList();
  }

  /** The representation the contract calls {@code TenantRole}. */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("name", name).put("description", description)
        .put("permissions", new JsonArray(permissions.stream().sorted().toList()))
        .put("patientSections", new JsonArray(sections(effective())))
        .put("version", version).put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
    if (basedOn != null) {
      json.put("basedOn", basedOn);
    }
    return json;
  }
}
