package io.caduceus.api.smart;

import io.caduceus.api.http.Reply;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** An RFC 6749 error of the token endpoint ({@code invalid_client}, {@code invalid_grant}, ...), and its status. */
public final class OAuthError extends RuntimeException {

  private final int status;
  private final String code;

  private OAuthError(int status, String code, String description) {
    super(description, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** The client could not be authenticated (401). */
  static OAuthError invalidClient(String description) {
    return new OAuthError(401, "invalid_client", description);
  }

  /** The grant (a code, a refresh token) is invalid, expired, spent or not the client's (400). */
  static OAuthError invalidGrant(String description) {
    return new OAuthError(400, "invalid_grant", description);
  }

  /** The scope requested is unknown or more than the client may have (400). */
  static OAuthError invalidScope(String description) {
    return new OAuthError(400, "invalid_scope", description);
  }

  /** The request lacks a parameter or repeats one (400). */
  static OAuthError invalidRequest(String description) {
    return new OAuthError(400, "invalid_request", description);
  }

  /** The grant type is not one this server supports (400). */
  static OAuthError unsupportedGrantType(String description) {
    return new OAuthError(400, "unsupported_grant_type", description);
  }

  /** The JSON error document, never cached. */
  public Reply reply() {
    return new Reply(status, Map.of("Cache-Control", "no-store", "Pragma", "no-cache"),
        new JsonObject().put("error", code).put("error_description", getMessage()));
  }
}
