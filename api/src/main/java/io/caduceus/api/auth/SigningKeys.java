package io.caduceus.api.auth;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.AccessTokenVerifier;
import io.caduceus.routing.catalog.VerifiedTokens;
import io.caduceus.routing.keys.MasterKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ES256 keys that sign access tokens. The first start generates one and stores it in the control plane (the
 * private half sealed under the master key); every node loads the same keys. Tokens are signed with the newest
 * key and verified against all unretired ones, which {@code /.well-known/jwks.json} publishes.
 */
public final class SigningKeys {

  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('caduceus.signing_key'))";
  private static final String ACTIVE = """
      SELECT kid, public_key_pem, private_key_sealed
      FROM signing_key
      WHERE retired_at IS NULL
      ORDER BY created_at DESC""";
  private static final String INSERT = """
      INSERT INTO signing_key (kid, algorithm, public_key_pem, private_key_sealed)
      VALUES ($1, 'ES256', $2, $3)""";

  private final List<SigningKey> keys;
  private final JWTAuth signer;
  private final VerifiedTokens verifier;

  private SigningKeys(List<SigningKey> keys, JWTAuth signer, VerifiedTokens verifier) {
    this.keys = keys;
    this.signer = signer;
    this.verifier = verifier;
  }

  /**
   * Loads the active keys, storing {@code candidate} (generated off the event loop by the caller) if there is
   * none yet; the advisory lock makes concurrent first starts agree on one key.
   */
  public static Future<SigningKeys> load(Vertx vertx, ControlPlane controlPlane, MasterKey master, String issuer) {
    return vertx.executeBlocking(SigningKey::generate, false).compose(candidate -> controlPlane.inTransaction(conn ->
            conn.query(LOCK).execute()
                .compose(locked -> conn.query(ACTIVE).execute())
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows)
                    : insertNew(conn, master, candidate).compose(v -> conn.query(ACTIVE).execute()))))
        .map(rows -> {
          List<SigningKey> keys = new ArrayList<>();
          for (Row row : rows) {
            String kid = row.getString("kid");
            byte[] privatePem = master.open(row.getBuffer("private_key_sealed").getBytes(), context(kid));
            keys.add(new SigningKey(kid, row.getString("public_key_pem"),
                new String(privatePem, StandardCharsets.US_ASCII)));
          }
          return build(vertx, keys, issuer);
        });
  }

  private static Future<Void> insertNew(SqlConnection conn, MasterKey master, SigningKey key) {
    byte[] sealed = master.seal(key.privatePem().getBytes(StandardCharsets.US_ASCII), context(key.kid()));
    return conn.preparedQuery(INSERT).execute(Tuple.of(key.kid(), key.publicPem(), Buffer.buffer(sealed))).mapEmpty();
  }

  private static SigningKeys build(Vertx vertx, List<SigningKey> keys, String issuer) {
    SigningKey newest = keys.get(0);
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().setJWTOptions(AccessTokenVerifier.options(issuer))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(newest.kid()).setBuffer(newest.privatePem())));
    VerifiedTokens verifier = AccessTokenVerifier.of(vertx, issuer,
        keys.stream().map(k -> new AccessTokenVerifier.PublicKey(k.kid(), k.publicPem())).toList());
    return new SigningKeys(List.copyOf(keys), signer, verifier);
  }

  /** The provider that signs new tokens with the newest key. */
  public JWTAuth signer() {
    return signer;
  }

  /** The verifier of access tokens, against every active key ({@link AccessTokenVerifier}). */
  public VerifiedTokens verifier() {
    return verifier;
  }

  /** The public keys as a JWK set. */
  public JsonObject jwks() {
    JsonArray array = new JsonArray();
    keys.forEach(k -> array.add(k.publicJwk()));
    return new JsonObject().put("keys", array);
  }

  private static String context(String kid) {
    return "signing-key|" + kid;
  }
}
