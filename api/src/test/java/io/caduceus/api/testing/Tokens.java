package io.caduceus.api.testing;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Ways an attacker might forge or alter an access token. */
public final class Tokens {

  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private Tokens() {
  }

  public static JsonObject header(String token) {
    return new JsonObject(new String(DEC.decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  public static JsonObject payload(String token) {
    return new JsonObject(new String(DEC.decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  /** The token with its payload replaced and its original signature kept. */
  public static String withPayload(String token, JsonObject payload) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(payload) + "." + parts[2];
  }

  /** A token signed with a fresh P-256 key that the server has never seen, under the server's own kid. */
  public static String signedByAnotherKey(JsonObject header, JsonObject payload) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      String input = encode(header) + "." + encode(payload);
      Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
      ecdsa.initSign(pair.getPrivate());
      ecdsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + ENC.encodeToString(ecdsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}). */
  public static String unsigned(JsonObject payload) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + encode(payload) + ".";
  }

  /** An HS256 token keyed with public material (the classic algorithm-confusion attack). */
  public static String hmacWith(String secret, JsonObject header, JsonObject payload) {
    try {
      String input = encode(header.copy().put("alg", "HS256")) + "." + encode(payload);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + ENC.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(JsonObject json) {
    return ENC.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
