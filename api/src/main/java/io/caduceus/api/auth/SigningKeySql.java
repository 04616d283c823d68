package io.caduceus.api.auth;

/** The signing-key repository's SQL, in one place. It runs in the control plane. */
final class SigningKeySql {

  /** The lock that makes concurrent first starts agree on one key. */
  static final String LOCK = """
      SELECT pg_advisory_xact_lock(hashtext('caduceus.signing_key'))
      """;

  static final String ACTIVE = """
      SELECT kid, public_key_pem, private_key_sealed
      FROM signing_key
      WHERE retired_at IS NULL
      ORDER BY created_at DESC
      """;

  static final String INSERT = """
      INSERT INTO signing_key (kid, algorithm, public_key_pem, private_key_sealed)
      VALUES ($1, 'ES256', $2, $3)
      """;

  private SigningKeySql() {
  }
}
