package io.caduceus.api.auth;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.AccessTokenVerifier;
import io.caduceus.routing.catalog.VerifiedTokens;
import io.caduceus.routing.keys.MasterKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.SqlConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ES256 keys that sign access tokens. The first start generates one and stores it in the control plane (the
 * private half sealed under the master key); every node loads the same keys. Tokens are signed with the newest
 * key and verified against all unretired ones, which {@code /.well-known/jwks.json} publishes.
 */
public final class SigningKeys {

  private static final SigningKeyRepository STORE = new SigningKeyRepository();

  private final List<SigningKey> keys;
  private final JWTAuth signer;
  private final VerifiedTokens verifier;

  private SigningKeys(List<SigningKey> keys, JWTAuth signer, VerifiedTokens verifier) {
    this.keys = keys;
    this.signer = signer;
    this.verifier = verifier;
  }

  /**
   * Loads the active keys. Only a control plane without any generates one (off the event loop) and stores it, under
   * an advisory lock that makes concurrent first starts agree on one key; a restart, which finds its keys, no longer
   * generates a key pair it throws away (a cold JVM's EC key generation, on the start's critical path).
   */
  public static Future<SigningKeys> load(Vertx vertx, ControlPlane controlPlane, MasterKey master, String issuer) {
    return controlPlane.inTransaction(STORE::active)
        .compose(stored -> !stored.isEmpty() ? Future.succeededFuture(stored) : first(vertx, controlPlane, master))
        .map(stored -> {
          List<SigningKey> keys = new ArrayList<>();
          for (SigningKeyRepository.StoredKey key : stored) {
            byte[] privatePem = master.open(key.privateSealed(), context(key.kid()));
            keys.add(new SigningKey(key.kid(), key.publicPem(), new String(privatePem, StandardCharsets.US_ASCII)));
          }
          return build(vertx, keys, issuer);
        });
  }

  /** The first start's key: generated, then stored unless a concurrent first start stored one first. */
  private static Future<List<SigningKeyRepository.StoredKey>> first(Vertx vertx, ControlPlane controlPlane,
                                                                    MasterKey master) {
    return vertx.executeBlocking(SigningKey::generate, false).compose(candidate -> controlPlane.inTransaction(conn ->
        STORE.lock(conn)
            .compose(locked -> STORE.active(conn))
            .compose(stored -> !stored.isEmpty() ? Future.succeededFuture(stored)
                : insertNew(conn, master, candidate).compose(v -> STORE.active(conn)))));
  }

  private static Future<Void> insertNew(SqlConnection conn, MasterKey master, SigningKey key) {
    byte[] sealed = master.seal(key.privatePem().getBytes(StandardCharsets.US_ASCII), context(key.kid()));
    return STORE.insert(conn, key.kid(), key.publicPem(), sealed);
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
