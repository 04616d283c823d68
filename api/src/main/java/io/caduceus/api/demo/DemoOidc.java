package io.caduceus.api.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Map;

/**
 * The demo's own OpenID provider: with {@code CADUCEUS_DEMO_OIDC=true}, NAV's mock-oauth2-server on 127.0.0.1
 * (port {@code CADUCEUS_DEMO_OIDC_PORT}, 8090), issuer {@code /riverside}, whose every login is Dr. Sam Okafor in the
 * groups Physicians and Staff, so the README's walk can sign in through single sign-on with curl. The server is a
 * test library (Kotlin, OkHttp, Freemarker: about 12 MB): it is in the jar only when built with
 * {@code -Pdemo-oidc}, and is reached by reflection so the default build neither ships nor needs it.
 */
public final class DemoOidc {

  private static final Logger LOG = LoggerFactory.getLogger(DemoOidc.class);
  private static final String CONFIG = "no.nav.security.mock.oauth2.OAuth2Config";
  private static final String SERVER = "no.nav.security.mock.oauth2.MockOAuth2Server";

  private DemoOidc() {
  }

  /** Starts the provider when the environment asks for it; its issuer URL, or null. */
  public static Future<String> startIfAsked(Vertx vertx, Map<String, String> env) {
    if (!"true".equalsIgnoreCase(env.get("CADUCEUS_DEMO_OIDC"))) {
      return Future.succeededFuture(null);
    }
    int port = Integer.parseInt(env.getOrDefault("CADUCEUS_DEMO_OIDC_PORT", "8090"));
    return vertx.executeBlocking(() -> {
      try {
        Class<?> configClass = Class.forName(CONFIG);
        Object companion = configClass.getField("Companion").get(null);
        Object config = companion.getClass().getMethod("fromJson", String.class).invoke(companion, config());
        Object server = Class.forName(SERVER).getConstructor(configClass).newInstance(config);
        server.getClass().getMethod("start", InetAddress.class, int.class)
            .invoke(server, InetAddress.getByName("127.0.0.1"), port);
        String issuer = "http://127.0.0.1:" + port + "/riverside";
        LOG.info("demo OpenID provider: issuer {} (every login is sam.okafor@riverside.test, groups Physicians, Staff)",
            issuer);
        return issuer;
      } catch (ClassNotFoundException e) {
        LOG.warn("CADUCEUS_DEMO_OIDC=true, but this jar was built without -Pdemo-oidc: no demo OpenID provider");
        return null;
      }
    }, false);
  }

  private static String config() {
    JsonObject claims = new JsonObject().put("sub", "okta-00u-sam-okafor").put("email", "sam.okafor@riverside.test")
        .put("email_verified", true).put("name", "Dr. Sam Okafor")
        .put("groups", new JsonArray().add("Physicians").add("Staff")).put("amr", new JsonArray().add("pwd"));
    JsonObject mapping = new JsonObject().put("requestParam", "grant_type").put("match", "authorization_code")
        .put("claims", claims);
    return new JsonObject().put("interactiveLogin", false).put("tokenCallbacks", new JsonArray().add(new JsonObject()
        .put("issuerId", "riverside").put("tokenExpiry", 3600)
        .put("requestMappings", new JsonArray().add(mapping)))).encode();
  }
}
