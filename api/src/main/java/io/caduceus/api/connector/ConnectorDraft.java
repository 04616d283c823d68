package io.caduceus.api.connector;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A connector as sent ({@code EhrConnectorWrite}): its name, base URL and auth, the secret apart from the rest. The
 * secret (client secret or password) may be left out of an update that keeps the auth type.
 */
record ConnectorDraft(String name, String baseUrl, String authType, JsonObject auth, String secret) {

  /** Reads a body the contract has validated, checking what the schema cannot. */
  static ConnectorDraft from(JsonObject body) {
    String name = body.getString("name").trim();
    if (name.isEmpty()) {
      throw new Invalid("/name", "is blank");
    }
    JsonObject sent = body.getJsonObject("auth");
    String type = sent.getString("type");
    JsonObject auth = new JsonObject();
    String secret;
    if ("oauth2".equals(type)) {
      auth.put("tokenUrl", url("/auth/tokenUrl", required(sent, "tokenUrl")))
          .put("clientId", required(sent, "clientId"));
      if (sent.getString("scope") != null) {
        auth.put("scope", sent.getString("scope"));
      }
      secret = sent.getString("clientSecret");
    } else {
      auth.put("username", required(sent, "username"));
      secret = sent.getString("password");
    }
    return new ConnectorDraft(name, url("/baseUrl", body.getString("baseUrl")), type, auth, secret);
  }

  private static String required(JsonObject auth, String field) {
    String value = auth.getString(field);
    if (value == null || value.isBlank()) {
      throw new Invalid("/auth/" + field, "is required");
    }
    return value;
  }

  /** An absolute http(s) URL without query or fragment, without its trailing slash. */
  static String url(String pointer, String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
          || uri.getFragment() != null || uri.getUserInfo() != null) {
        throw new Invalid(pointer, "is not an http(s) URL without query, fragment or user info");
      }
      return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    } catch (URISyntaxException e) {
      throw new Invalid(pointer, "is not a URL");
    }
  }
}
