package io.caduceus.api.smart;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.TreeSet;

/**
 * The SMART configuration document ({@code .well-known/smart-configuration}): what this server really supports,
 * backend services ({@code private_key_jwt}), the standalone launch of public apps (PKCE S256) with the user's
 * consent, the EHR launch, confidential apps (asymmetric or a client secret), refresh tokens (offline and online),
 * OpenID Connect id_tokens ({@code openid fhirUser}), and v1 and v2 scopes.
 */
final class SmartDiscovery {

  private SmartDiscovery() {
  }

  /** The document, its endpoints under {@code base} (the server's public URL). */
  static JsonObject of(String issuer, String base) {
    JsonArray scopes = new JsonArray();
    for (String context : new String[] {"patient", "user", "system"}) {
      scopes.add(context + "/*.read").add(context + "/*.rs").add(context + "/*.write").add(context + "/*.cruds");
      new TreeSet<>(FhirScopePermissions.types()).forEach(t -> scopes.add(context + "/" + t + ".read")
          .add(context + "/" + t + ".rs"));
    }
    AppAuthorization.OTHER_SCOPES.stream().sorted().forEach(scopes::add);
    return new JsonObject()
        .put("issuer", issuer)
        .put("jwks_uri", base + "/.well-known/jwks.json")
        .put("authorization_endpoint", base + "/oauth2/authorize")
        .put("token_endpoint", base + "/oauth2/token")
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("private_key_jwt")
            .add("client_secret_basic").add("none"))
        .put("token_endpoint_auth_signing_alg_values_supported",
            new JsonArray().add("ES256").add("ES384").add("RS256").add("RS384").add("PS256").add("PS384"))
        .put("grant_types_supported", new JsonArray().add("client_credentials").add("authorization_code")
            .add("refresh_token"))
        .put("scopes_supported", scopes)
        .put("response_types_supported", new JsonArray().add("code"))
        .put("capabilities", new JsonArray().add("launch-standalone").add("launch-ehr").add("client-public")
            .add("client-confidential-asymmetric").add("client-confidential-symmetric")
            .add("context-standalone-patient").add("context-ehr-patient").add("context-ehr-encounter")
            .add("sso-openid-connect").add("permission-offline").add("permission-online").add("permission-patient")
            .add("permission-user").add("permission-v1").add("permission-v2"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("ES256"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"));
  }
}
