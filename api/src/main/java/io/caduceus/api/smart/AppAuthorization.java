package io.caduceus.api.smart;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The authorization endpoint of SMART's standalone launch: it checks the app's request (a registered redirect URI,
 * exactly; a PKCE S256 challenge; the FHIR base as {@code aud}; scopes the app may ask for), keeps it pending for ten
 * minutes, and hands the user over to the portal, which shows it and approves it ({@link SmartConsents}).
 */
public final class AppAuthorization {

  /** The scopes other than resource scopes an app may register and ask for. */
  static final Set<String> OTHER_SCOPES = Set.of("launch/patient", "launch", "openid", "fhirUser", "offline_access",
      "online_access");

  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43,128}");

  private final ControlPlane controlPlane;
  private final SmartApps apps;
  private final String portal;

  /** With {@code portal} the URL of the portal's consent page, which receives {@code ?request=<id>}. */
  public AppAuthorization(ControlPlane controlPlane, SmartApps apps, String portal) {
    this.controlPlane = controlPlane;
    this.apps = apps;
    this.portal = portal;
  }

  /** Where to send the user: the portal's consent page for the pending request. */
  public Future<String> authorize(Map<String, String> query, String fhirBase) {
    if (!"code".equals(query.get("response_type"))) {
      return Future.failedFuture(OAuthError.invalidRequest("response_type must be code"));
    }
    UUID clientId;
    try {
      clientId = UUID.fromString(String.valueOf(query.get("client_id")));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(OAuthError.invalidRequest("unknown client_id"));
    }
    return apps.find(clientId).compose(found -> pending(found, query, fhirBase));
  }

  private Future<String> pending(Optional<SmartApp> found, Map<String, String> query, String fhirBase) {
    if (found.isEmpty() || !found.get().enabled()) {
      return Future.failedFuture(OAuthError.invalidRequest("unknown or disabled client_id"));
    }
    SmartApp app = found.get();
    String redirect = query.get("redirect_uri");
    if (redirect == null || !app.redirectUris().contains(redirect)) {
      return Future.failedFuture(OAuthError.invalidRequest("redirect_uri is not one the app registered"));
    }
    String challenge = query.get("code_challenge");
    if (!"S256".equals(query.get("code_challenge_method")) || challenge == null
        || !CHALLENGE.matcher(challenge).matches()) {
      return Future.failedFuture(OAuthError.invalidRequest("a PKCE code_challenge with method S256 is required"));
    }
    if (!fhirBase.equals(stripSlash(query.get("aud")))) {
      return Future.failedFuture(OAuthError.invalidRequest("aud must be the FHIR base " + fhirBase));
    }
    List<String> scopes = asked(app, query.getOrDefault("scope", ""));
    if (scopes.stream().flatMap(s -> SmartScope.parse(s).stream()).findAny().isEmpty()) {
      return Future.failedFuture(OAuthError.invalidScope("none of the requested resource scopes is allowed"));
    }
    String launch = query.get("launch");
    if (scopes.contains("launch") != (launch != null)) {
      return Future.failedFuture(OAuthError.invalidRequest("an EHR launch sends both its launch and the scope launch"));
    }
    UUID id = UUID.randomUUID();
    return controlPlane.inTransaction(conn -> launch(conn, app, launch).compose(bound -> conn
            .preparedQuery(SmartAppSql.INSERT_AUTHORIZATION).execute(Tuple.from(new Object[] {id, app.id(), redirect,
                scopes.toArray(new String[0]), query.get("state"), challenge, query.get("nonce"),
                bound.map(r -> r.getUUID("id")).orElse(null), bound.map(r -> r.getUUID("user_id")).orElse(null)}))))
        .map(v -> portal + "?request=" + id);
  }

  /** Spends the EHR launch the request names (of this app, in its tenant, once); none without a launch. */
  private static Future<Optional<Row>> launch(SqlConnection conn, SmartApp app, String launch) {
    if (launch == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return conn.preparedQuery(SmartAppSql.USE_LAUNCH)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(launch)), app.id(), app.tenant().value()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(OAuthError.invalidRequest("the launch is unknown, used, expired or not this app's"))
            : Future.succeededFuture(Optional.of(rows.iterator().next())));
  }

  /** The requested scopes the app may ask for (each covered by one it registered). */
  private static List<String> asked(SmartApp app, String requested) {
    List<SmartScope> allowed = app.scopes().stream().flatMap(s -> SmartScope.parse(s).stream()).toList();
    List<String> asked = new ArrayList<>();
    for (String text : requested.trim().split("\\s+")) {
      boolean allowedLaunch = OTHER_SCOPES.contains(text) && app.scopes().contains(text);
      boolean covered = SmartScope.parse(text).map(s -> allowed.stream().anyMatch(a -> a.covers(s))).orElse(false);
      if ((allowedLaunch || covered) && !asked.contains(text)) {
        asked.add(text);
      }
    }
    return asked;
  }

  private static String stripSlash(String text) {
    return text == null ? null : text.replaceAll("/+$", "");
  }
}
