package io.caduceus.api.smart;

import com.nimbusds.jose.jwk.JWKSet;
import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The third-party SMART apps of a tenant: a tenant admin registers one (its exact redirect URIs, the {@code patient/}
 * and {@code user/} scopes it may ask for), lists them and disables one, which revokes every consent given to it.
 */
public final class SmartApps {

  private final ControlPlane controlPlane;
  private final Revocations revocations;

  public SmartApps(ControlPlane controlPlane, Revocations revocations) {
    this.controlPlane = controlPlane;
    this.revocations = revocations;
  }

  /**
   * Registers an app of the caller's tenant; its representation, with {@code clientSecret} (shown this once) for a
   * {@code client_secret_basic} app.
   */
  public Future<JsonObject> register(TenantContext ctx, JsonObject body) {
    List<String> uris = strings(body.getJsonArray("redirectUris"));
    List<String> scopes = strings(body.getJsonArray("scopes"));
    String method = body.getString("tokenEndpointAuthMethod", "none");
    JsonObject jwks = body.getJsonObject("jwks");
    String jwksUri = body.getString("jwksUri");
    String launchUrl = body.getString("launchUrl");
    String secret = "client_secret_basic".equals(method) ? SecretTokens.next() : null;
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> validate(uris, scopes))
        .compose(v -> credentials(method, jwks, jwksUri, launchUrl))
        .compose(v -> controlPlane.pool().preparedQuery(SmartAppSql.INSERT_APP).execute(Tuple.from(new Object[] {
            UuidV7.next(), ctx.tenantId().value(), body.getString("name").trim(), uris.toArray(new String[0]),
            scopes.toArray(new String[0]), ctx.userId(), method, jwks,
            secret == null ? null : Buffer.buffer(SecretTokens.hash(secret)), launchUrl, jwksUri})))
        .map(rows -> {
          JsonObject json = SmartApp.fromRow(rows.iterator().next()).json();
          return secret == null ? json : json.put("clientSecret", secret);
        });
  }

  /**
   * A confidential app's credentials: public keys (or their URL on 127.0.0.1) for {@code private_key_jwt} only; a
   * launch URL as a redirect URI.
   */
  private static Future<Void> credentials(String method, JsonObject jwks, String jwksUri, String launchUrl) {
    if (launchUrl != null && !redirectable(launchUrl)) {
      return Future.failedFuture(new Invalid("/launchUrl", "an absolute https URI without a fragment"));
    }
    if ("private_key_jwt".equals(method) != (jwks != null || jwksUri != null) || jwks != null && jwksUri != null) {
      return Future.failedFuture(new Invalid("/jwks",
          "private_key_jwt needs a JWK set or its URL (one of them), and only it does"));
    }
    if (jwksUri != null && !AppKeys.loopback(jwksUri)) {
      return Future.failedFuture(new Invalid("/jwksUri", "an http(s) URL on 127.0.0.1 only"));
    }
    if (jwks != null) {
      try {
        JWKSet set = JWKSet.parse(jwks.encode());
        if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(k -> k.isPrivate() || !ClientKeys.usable(k))) {
          return Future.failedFuture(new Invalid("/jwks", "public EC P-256/P-384 or RSA (2048 bits or more) keys only"));
        }
      } catch (java.text.ParseException e) {
        return Future.failedFuture(new Invalid("/jwks", "not a JWK set"));
      }
    }
    return Future.succeededFuture();
  }

  /** The tenant's apps, oldest first, disabled ones included. */
  public Future<List<SmartApp>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(SmartAppSql.LIST_APPS).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> Rows.list(rows, SmartApp::fromRow));
  }

  /** Disables an app of the tenant and ends the tokens of every consent given to it; another tenant's: 404. */
  public Future<Void> disable(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(SmartAppSql.DISABLE_APP)
            .execute(Tuple.of(ctx.tenantId().value(), id)))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such SMART app"))
            : revocations.endSessions(sessions(rows.iterator().next())));
  }

  /** An app by its id, whichever its tenant (the authorization endpoint's look-up). */
  public Future<Optional<SmartApp>> find(UUID id) {
    return controlPlane.pool().preparedQuery(SmartAppSql.FIND_APP).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, SmartApp::fromRow));
  }

  /** The session ids a statement's {@code sessions} column lists (none when null). */
  static List<UUID> sessions(Row row) {
    UUID[] ids = row.getArrayOfUUIDs("sessions");
    return ids == null ? List.of() : Arrays.asList(ids);
  }

  private static Future<Void> validate(List<String> uris, List<String> scopes) {
    for (String uri : uris) {
      if (!redirectable(uri)) {
        return Future.failedFuture(new Invalid("/redirectUris",
            "an absolute https URI without a fragment (http only for localhost): " + uri));
      }
    }
    for (String scope : scopes) {
      if (!AppAuthorization.OTHER_SCOPES.contains(scope)
          && SmartScope.parse(scope).filter(s -> !"system".equals(s.context())).isEmpty()) {
        return Future.failedFuture(new Invalid("/scopes",
            "not a patient/ or user/ resource scope, nor one of " + AppAuthorization.OTHER_SCOPES + ": " + scope));
      }
    }
    return Future.succeededFuture();
  }

  private static boolean redirectable(String text) {
    try {
      URI uri = new URI(text);
      boolean local = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
      return uri.isAbsolute() && uri.getFragment() == null && uri.getHost() != null
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && local);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).distinct().toList();
  }
}
