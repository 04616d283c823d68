package io.caduceus.api.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

import static io.caduceus.api.testing.Clinic.expect;

/** A SMART backend client registered in a clinic, with its private key, getting tokens as a real client would. */
final class SmartClientFixture {

  final String id;
  final ECKey key;
  final URI tokenEndpoint;

  private SmartClientFixture(String id, ECKey key, URI tokenEndpoint) {
    this.id = id;
    this.key = key;
    this.tokenEndpoint = tokenEndpoint;
  }

  /** Registers a client of the clinic acting as {@code role} with the allowed scopes (its admin does). */
  static SmartClientFixture register(Api api, Clinic clinic, String role, String... scopes) {
    ECKey key = newKey();
    Api.Response created = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-clients",
        clinic.token(clinic.admin), new JsonObject().put("name", "Nightly " + role)
            .put("jwks", new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toPublicJWK().toJSONObject()))))
            .put("roles", new JsonArray().add(role)).put("scopes", new JsonArray(List.of(scopes)))), 201);
    String endpoint = expect(api.get("/fhir/r4/.well-known/smart-configuration", null), 200).json()
        .getString("token_endpoint");
    return new SmartClientFixture(created.json().getString("clientId"), key, URI.create(endpoint));
  }

  /** A fresh P-384 key pair. */
  static ECKey newKey() {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID("k-" + System.nanoTime()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh assertion of this client (Nimbus: iss = sub = client id, aud = token endpoint, 5-minute exp, a jti). */
  ClientAuthentication assertion() {
    try {
      return new PrivateKeyJWT(new ClientID(id), tokenEndpoint, JWSAlgorithm.ES384, key.toECPrivateKey(),
          key.getKeyID(), null);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token endpoint's answer to a client-credentials request with the given authentication. */
  HTTPResponse request(ClientAuthentication auth, String scope) {
    try {
      return new TokenRequest(tokenEndpoint, auth, new ClientCredentialsGrant(), scope == null ? null : Scope.parse(scope))
          .toHTTPRequest().send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An access token with the scopes (fails unless granted). */
  String token(String scope) {
    HTTPResponse response = request(assertion(), scope);
    if (response.getStatusCode() != 200) {
      throw new AssertionError("token refused: " + response.getStatusCode() + " " + response.getBody());
    }
    try {
      return response.getBodyAsJSONObject().get("access_token").toString();
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
