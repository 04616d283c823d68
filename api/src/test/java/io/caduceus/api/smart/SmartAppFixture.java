package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A SMART app registered in a clinic, launched as a real public client would (Nimbus, PKCE S256). */
public final class SmartAppFixture {

  static final URI CALLBACK = URI.create("https://diary.example/callback");

  /** What a launch leaves the app with: its verifier and state, and the pending request the portal shows. */
  record Launch(CodeVerifier verifier, State state, String requestId) {
  }

  final String appId;
  /** The registration's answer (with {@code clientSecret} for a {@code client_secret_basic} app). */
  final JsonObject registered;
  private final Api api;
  private final JsonObject config;

  private SmartAppFixture(Api api, JsonObject config, JsonObject registered) {
    this.api = api;
    this.config = config;
    this.registered = registered;
    this.appId = registered.getString("clientId");
  }

  /** Registers an app of the clinic that may ask for the given scopes (its admin does). */
  public static SmartAppFixture register(Api api, Clinic clinic, String... scopes) {
    return register(api, clinic, new JsonObject(), scopes);
  }

  /** Registers an app with more of the registration's fields ({@code tokenEndpointAuthMethod}, {@code launchUrl}). */
  static SmartAppFixture register(Api api, Clinic clinic, JsonObject more, String... scopes) {
    JsonObject config = expect(api.get("/fhir/r4/.well-known/smart-configuration", null), 200).json();
    JsonObject registered = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps",
        clinic.token(clinic.admin), more.copy().put("name", "Health diary")
            .put("redirectUris", new JsonArray().add(CALLBACK.toString()))
            .put("scopes", new JsonArray(java.util.List.of(scopes)))), 201).json();
    return new SmartAppFixture(api, config, registered);
  }

  /** The discovery document the app read. */
  JsonObject config() {
    return config;
  }

  /** Starts a standalone launch and follows the redirect to the portal's consent page. */
  Launch launch(String scope) {
    return launch(scope, java.util.Map.of());
  }

  /** Starts a launch with more parameters ({@code nonce}, an EHR {@code launch}); the pending request. */
  Launch launch(String scope, java.util.Map<String, String> more) {
    Api.Response handed = authorize(scope, more, new CodeVerifier(), new State());
    expect(handed, 302);
    return launched(handed);
  }

  /** The authorization endpoint's answer, not followed. */
  Api.Response authorize(String scope, java.util.Map<String, String> more, CodeVerifier verifier, State state) {
    AuthorizationRequest.Builder builder = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(appId))
        .endpointURI(URI.create(config.getString("authorization_endpoint")))
        .redirectionURI(CALLBACK).scope(Scope.parse(scope)).state(state)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .customParameter("aud", fhirBase());
    more.forEach(builder::customParameter);
    URI request = builder.build().toURI();
    lastVerifier = verifier;
    lastState = state;
    return api.get(request.getRawPath() + "?" + request.getRawQuery(), null);
  }

  private CodeVerifier lastVerifier;
  private State lastState;

  private Launch launched(Api.Response handed) {
    String location = handed.header("Location");
    assertThat(location).contains("request=");
    return new Launch(lastVerifier, lastState, location.substring(location.indexOf("request=") + "request=".length()));
  }

  /** The token endpoint's answer to the code and verifier, the app authenticating with {@code auth} (null: none). */
  TokenResponse exchange(AuthorizationCode code, CodeVerifier verifier, ClientAuthentication auth) {
    return send(auth == null
        ? new TokenRequest(URI.create(config.getString("token_endpoint")), new ClientID(appId),
            new AuthorizationCodeGrant(code, CALLBACK, verifier), null)
        : new TokenRequest(URI.create(config.getString("token_endpoint")), auth,
            new AuthorizationCodeGrant(code, CALLBACK, verifier), null));
  }

  /** The token endpoint's answer to a refresh token, the app authenticating with {@code auth} (null: none). */
  TokenResponse refresh(RefreshToken token, ClientAuthentication auth) {
    return send(auth == null
        ? new TokenRequest(URI.create(config.getString("token_endpoint")), new ClientID(appId),
            new RefreshTokenGrant(token), null)
        : new TokenRequest(URI.create(config.getString("token_endpoint")), auth, new RefreshTokenGrant(token), null));
  }

  private static TokenResponse send(TokenRequest request) {
    try {
      return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  /** The user approves the launch's request with their token; the code the app receives. */
  AuthorizationCode approve(Launch launch, String userToken) {
    JsonObject approved = expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/approve", userToken,
        new JsonObject()), 200).json();
    return code(approved.getString("redirectTo"), launch.state());
  }

  /** The token endpoint's answer to the code and verifier. */
  TokenResponse exchange(AuthorizationCode code, CodeVerifier verifier) {
    return exchange(code, verifier, null);
  }

  /** A whole launch approved by the user: the app's access token. */
  public String token(String scope, String userToken) {
    Launch launch = launch(scope);
    return exchange(approve(launch, userToken), launch.verifier()).toSuccessResponse().getTokens().getAccessToken()
        .getValue();
  }

  /** The code in a redirect back to the app, after checking its state. */
  static AuthorizationCode code(String redirectTo, State state) {
    try {
      AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirectTo));
      assertThat(response.getState()).isEqualTo(state);
      return response.toSuccessResponse().getAuthorizationCode();
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  private String fhirBase() {
    String endpoint = config.getString("token_endpoint");
    return endpoint.substring(0, endpoint.length() - "/oauth2/token".length()) + "/fhir/r4";
  }
}
