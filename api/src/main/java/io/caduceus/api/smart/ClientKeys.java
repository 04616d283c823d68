package io.caduceus.api.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.util.Set;

/** The public keys a client registers, and the check of a JWT it signed with one of them. */
final class ClientKeys {

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.PS256, JWSAlgorithm.PS384);

  private ClientKeys() {
  }

  /** Whether a registered key is one this server verifies with: EC P-256/P-384, or RSA of 2048 bits or more. */
  static boolean usable(JWK key) {
    if (key instanceof ECKey ec) {
      return Curve.P_256.equals(ec.getCurve()) || Curve.P_384.equals(ec.getCurve());
    }
    return key instanceof RSAKey rsa && rsa.size() >= 2048;
  }

  /**
   * Whether the JWT is signed, with an asymmetric algorithm this server accepts, by a key of the set (the one its
   * {@code kid} names, or any when it names none).
   */
  static boolean signedBy(SignedJWT jwt, JWKSet keys) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      return false;
    }
    String kid = jwt.getHeader().getKeyID();
    for (JWK key : keys.getKeys()) {
      if (kid != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      try {
        JWSVerifier verifier = verifier(key, alg);
        if (verifier != null && jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException e) {
        // a key of another type or curve than the algorithm: try the next one
      }
    }
    return false;
  }

  private static JWSVerifier verifier(JWK key, JWSAlgorithm alg) throws JOSEException {
    if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
      return new ECDSAVerifier(ec.toPublicJWK());
    }
    if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
      return new RSASSAVerifier(rsa.toPublicJWK());
    }
    return null;
  }
}
