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
import com.nimbusds.oauth2.sdk.id.ClientID;
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
  private final Api api;
  private final JsonObject config;

  private SmartAppFixture(Api api, JsonObject config, String appId) {
    this.api = api;
    this.config = config;
    this.appId = appId;
  }

  /** Registers an app of the clinic that may ask for the given scopes (its admin does). */
  public static SmartAppFixture register(Api api, Clinic clinic, String... scopes) {
    JsonObject config = expect(api.get("/fhir/r4/.well-known/smart-configuration", null), 200).json();
    String appId = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/fhir-apps", clinic.token(clinic.admin),
        new JsonObject().put("name", "Health diary").put("redirectUris", new JsonArray().add(CALLBACK.toString()))
            .put("scopes", new JsonArray(java.util.List.of(scopes)))), 201).json().getString("clientId");
    return new SmartAppFixture(api, config, appId);
  }

  /** Starts a standalone launch and follows the redirect to the portal's consent page. */
  Launch launch(String scope) {
    CodeVerifier verifier = new CodeVerifier();
    State state = new State();
    URI request = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(appId))
        .endpointURI(URI.create(config.getString("authorization_endpoint")))
        .redirectionURI(CALLBACK).scope(Scope.parse(scope)).state(state)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .customParameter("aud", fhirBase())
        .build().toURI();
    Api.Response handed = expect(api.get(request.getRawPath() + "?" + request.getRawQuery(), null), 302);
    String location = handed.header("Location");
    assertThat(location).contains("request=");
    return new Launch(verifier, state, location.substring(location.indexOf("request=") + "request=".length()));
  }

  /** The user approves the launch's request with their token; the code the app receives. */
  AuthorizationCode approve(Launch launch, String userToken) {
    JsonObject approved = expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/approve", userToken,
        new JsonObject()), 200).json();
    return code(approved.getString("redirectTo"), launch.state());
  }

  /** The token endpoint's answer to the code and verifier. */
  TokenResponse exchange(AuthorizationCode code, CodeVerifier verifier) {
    try {
      return TokenResponse.parse(new TokenRequest(URI.create(config.getString("token_endpoint")), new ClientID(appId),
          new AuthorizationCodeGrant(code, CALLBACK, verifier), null).toHTTPRequest().send());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
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
