package io.caduceus.api.auth;

import io.vertx.sqlclient.Row;

import java.util.UUID;

/** A person who can log in; who they are, not what they may do (that is per membership). */
public record User(UUID id, String email, String displayName, String passwordHash, boolean active,
                   boolean emailVerified) {

  /** Maps a row of {@link UserSql#COLUMNS}. */
  public static User fromRow(Row row) {
    return new User(row.getUUID("id"), row.getString("email"), row.getString("display_name"),
        row.getString("password_hash"), "active".equals(row.getString("status")),
        row.getValue("email_verified_at") != null);
  }
}
