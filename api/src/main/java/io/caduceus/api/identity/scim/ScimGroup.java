package io.caduceus.api.identity.scim;

import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's SCIM group: its display name is what the tenant's role mapping matches. */
record ScimGroup(UUID id, String displayName, String externalId, int version, OffsetDateTime created,
                 OffsetDateTime lastModified) {

  static ScimGroup fromRow(Row row) {
    return new ScimGroup(row.getUUID("id"), row.getString("display_name"), row.getString("external_id"),
        row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  /** A member as a group lists it. */
  record Member(UUID userId, String userName) {

    static Member fromRow(Row row) {
      return new Member(row.getUUID("user_id"), row.getString("user_name"));
    }
  }

  /** A group as a user lists it. */
  record Ref(UUID id, String displayName) {

    static Ref fromRow(Row row) {
      return new Ref(row.getUUID("id"), row.getString("display_name"));
    }
  }
}
