package io.caduceus.api.auth;

import io.caduceus.api.sql.Rows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** The token-signing keys stored in the control plane, on a connection of the caller's control-plane transaction. */
final class SigningKeyRepository {

  /** A stored key: its id, its public half, and its private half sealed under the master key. */
  record StoredKey(String kid, String publicPem, byte[] privateSealed) {
  }

  /** Takes the lock that makes concurrent first starts agree on one key, until the transaction ends. */
  Future<Void> lock(SqlConnection conn) {
    return conn.query(SigningKeySql.LOCK).execute().mapEmpty();
  }

  /** The unretired keys, newest first. */
  Future<List<StoredKey>> active(SqlConnection conn) {
    return conn.query(SigningKeySql.ACTIVE).execute().map(rows -> Rows.list(rows, row -> new StoredKey(
        row.getString("kid"), row.getString("public_key_pem"), row.getBuffer("private_key_sealed").getBytes())));
  }

  /** Stores a new ES256 key. */
  Future<Void> insert(SqlConnection conn, String kid, String publicPem, byte[] privateSealed) {
    return conn.preparedQuery(SigningKeySql.INSERT).execute(Tuple.of(kid, publicPem, Buffer.buffer(privateSealed)))
        .mapEmpty();
  }
}
