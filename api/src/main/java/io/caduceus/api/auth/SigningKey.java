package io.caduceus.api.auth;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** One ES256 (P-256) key pair, named by its RFC 7638 JWK thumbprint. */
public record SigningKey(String kid, String publicPem, String privatePem) {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  /** Generates a new key pair. */
  public static SigningKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
      String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
      return new SigningKey(thumbprint(jwk((ECPublicKey) pair.getPublic())), publicPem, privatePem);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 unavailable", e);
    }
  }

  /** The public key as a JWK, for the JWKS endpoint. */
  public JsonObject publicJwk() {
    try {
      String base64 = publicPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
      return jwk(key).put("kid", kid).put("alg", "ES256").put("use", "sig");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored signing key is unreadable", e);
    }
  }

  private static JsonObject jwk(ECPublicKey key) {
    return new JsonObject()
        .put("kty", "EC")
        .put("crv", "P-256")
        .put("x", URL.encodeToString(unsigned32(key.getW().getAffineX())))
        .put("y", URL.encodeToString(unsigned32(key.getW().getAffineY())));
  }

  private static String thumbprint(JsonObject jwk) throws GeneralSecurityException {
    String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.getString("x") + "\",\"y\":\""
        + jwk.getString("y") + "\"}";
    return URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
