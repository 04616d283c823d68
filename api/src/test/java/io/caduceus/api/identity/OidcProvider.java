package io.caduceus.api.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import io.vertx.core.json.JsonObject;
import okhttp3.Headers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real OpenID provider on 127.0.0.1 (NAV's mock-oauth2-server, one issuer per path), and a way to make its token
 * endpoint answer once with an ID token a test built: forged, for another audience, expired, of another issuer.
 */
final class OidcProvider {

  private static OidcProvider instance;

  final MockOAuth2Server server;
  private final Map<String, String> swaps = new ConcurrentHashMap<>();

  private OidcProvider() {
    this.server = new MockOAuth2Server(new OAuth2Config(), new Route[] {new TokenSwap()});
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one provider of this JVM, started on first use. */
  static synchronized OidcProvider get() {
    if (instance == null) {
      instance = new OidcProvider();
    }
    return instance;
  }

  /** The issuer URL of an issuer id. */
  String issuer(String issuerId) {
    String url = server.issuerUrl(issuerId).toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The next real login at this issuer is this person, with these claims (groups, email, ...). */
  void nextLogin(String issuerId, String subject, String clientId, Map<String, Object> claims) {
    server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(clientId), claims, 3600));
  }

  /** A well-signed ID token of {@code issuerId}, for {@code audience}, expiring in {@code expiry} seconds. */
  String signed(String issuerId, String subject, String audience, Map<String, Object> claims, long expiry) {
    return server.issueToken(issuerId, audience, new DefaultOAuth2TokenCallback(issuerId, subject, "JWT",
        List.of(audience), claims, expiry)).serialize();
  }

  /** The same token with its payload kept and its signature made by a key the issuer never published. */
  static String forged(String token) {
    try {
      SignedJWT original = SignedJWT.parse(token);
      SignedJWT forged = new SignedJWT(new JWSHeader.Builder(original.getHeader()).build(),
          original.getJWTClaimsSet());
      forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).keyID(original.getHeader().getKeyID()).generate()));
      return forged.serialize();
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next token request at {@code issuerId} answers with this ID token instead of the real one. */
  void swapNextIdToken(String issuerId, String idToken) {
    swaps.put("/" + issuerId + "/token", idToken);
  }

  private final class TokenSwap implements Route {

    @Override
    public boolean match(OAuth2HttpRequest request) {
      return "POST".equals(request.getMethod()) && swaps.containsKey(request.getUrl().encodedPath());
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      String idToken = swaps.remove(request.getUrl().encodedPath());
      String body = new JsonObject().put("access_token", "opaque").put("token_type", "Bearer")
          .put("expires_in", 300).put("id_token", idToken).encode();
      return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200, body,
          body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
