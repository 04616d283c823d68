package io.caduceus.api.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' OpenID providers, through Nimbus {@code oauth2-oidc-sdk}: discovery from the issuer's
 * {@code .well-known/openid-configuration} (kept an hour), the authorization request with PKCE, the code exchange,
 * and the ID token's full check (signature against the JWKS, which Nimbus caches and re-reads when a key id it does
 * not know appears, so a rotated key is picked up; issuer; audience; expiry; nonce). Every network call runs on a
 * worker, never the event loop.
 */
public final class IdentityProviders {

  private static final Duration KEEP = Duration.ofHours(1);
  private static final int CONNECT_MS = 5_000;
  private static final int READ_MS = 10_000;

  private final Vertx vertx;
  private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();
  private final Map<String, IDTokenValidator> validators = new ConcurrentHashMap<>();

  private record Discovered(OIDCProviderMetadata metadata, long at) {
  }

  public IdentityProviders(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The provider's metadata, from discovery (cached). */
  Future<OIDCProviderMetadata> discover(String issuer) {
    Discovered known = discovered.get(issuer);
    if (known != null && System.nanoTime() - known.at < KEEP.toNanos()) {
      return Future.succeededFuture(known.metadata);
    }
    return vertx.executeBlocking(() -> {
      try {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer), CONNECT_MS, READ_MS);
        discovered.put(issuer, new Discovered(metadata, System.nanoTime()));
        return metadata;
      } catch (IOException | ParseException | RuntimeException e) {
        throw new Unavailable("the tenant's identity provider cannot be reached or publishes no valid discovery");
      }
    }, false);
  }

  /** Where to send the browser: the provider's authorization endpoint with state, nonce and PKCE (S256). */
  URI authorization(OIDCProviderMetadata metadata, String clientId, String callbackUri, String state, String nonce,
                    String verifier) {
    return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid", "email", "profile"),
        new ClientID(clientId), URI.create(callbackUri))
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .state(new State(state))
        .nonce(new Nonce(nonce))
        .codeChallenge(new CodeVerifier(verifier), CodeChallengeMethod.S256)
        .build().toURI();
  }

  /**
   * Exchanges the code at the provider's token endpoint (client secret basic, PKCE verifier) and verifies the ID
   * token it answers with; the token's claims.
   */
  Future<JsonObject> redeem(String issuer, String clientId, String secret, String code, String callbackUri,
                            String verifier, String nonce) {
    return discover(issuer).compose(metadata -> vertx.executeBlocking(() -> {
      JWT idToken = exchange(metadata, clientId, secret, code, callbackUri, verifier);
      try {
        return new JsonObject(validator(metadata, clientId).validate(idToken, new Nonce(nonce)).toJSONObject());
      } catch (BadJOSEException | JOSEException e) {
        throw new Unauthorized("the identity provider's ID token failed verification (signature, issuer, audience,"
            + " expiry or nonce)");
      }
    }, false));
  }

  private static JWT exchange(OIDCProviderMetadata metadata, String clientId, String secret, String code,
                              String callbackUri, String verifier) {
    TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(),
        new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
        new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(callbackUri), new CodeVerifier(verifier)));
    TokenResponse response;
    try {
      HTTPRequest http = request.toHTTPRequest();
      http.setConnectTimeout(CONNECT_MS);
      http.setReadTimeout(READ_MS);
      response = OIDCTokenResponseParser.parse(http.send());
    } catch (IOException e) {
      throw new Unavailable("the tenant's identity provider cannot be reached");
    } catch (ParseException | RuntimeException e) {
      throw new Unauthorized("the identity provider's token answer is not a valid OpenID Connect answer");
    }
    if (!response.indicatesSuccess()) {
      throw new Unauthorized("the identity provider refused the authorization code");
    }
    JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    if (idToken == null) {
      throw new Unauthorized("the identity provider answered without an ID token");
    }
    return idToken;
  }

  private IDTokenValidator validator(OIDCProviderMetadata metadata, String clientId) {
    return validators.computeIfAbsent(metadata.getIssuer().getValue() + "|" + clientId, key -> {
      try {
        URL jwks = metadata.getJWKSetURI().toURL();
        return new IDTokenValidator(metadata.getIssuer(), new ClientID(clientId), algorithm(metadata), jwks,
            new DefaultResourceRetriever(CONNECT_MS, READ_MS, 512 * 1024));
      } catch (IOException | RuntimeException e) {
        throw new Unavailable("the tenant's identity provider publishes no usable key set");
      }
    });
  }

  private static JWSAlgorithm algorithm(OIDCProviderMetadata metadata) {
    List<JWSAlgorithm> offered = metadata.getIDTokenJWSAlgs();
    if (offered == null || offered.isEmpty() || offered.contains(JWSAlgorithm.RS256)) {
      return JWSAlgorithm.RS256;
    }
    return offered.stream().filter(a -> !"none".equals(a.getName()) && !a.getName().startsWith("HS")).findFirst()
        .orElseThrow(() -> new Unavailable("the tenant's identity provider offers no asymmetric signature"));
  }
}
