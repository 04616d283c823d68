package io.caduceus.api.smart;

import io.caduceus.api.error.Forbidden;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a token with SMART scopes may do, decided where the request's context is built ({@code TenantResolver}): only
 * {@code /fhir/} operations, with the permissions its roles grant that its scopes also allow, and a {@code patient/}
 * scope only with the token's patient context (row-level security then confines it to that patient).
 */
public final class SmartAccess {

  /** The claim that carries a SMART token's scopes (space-separated, RFC 8693 / RFC 9068). */
  public static final String CLAIM = "scope";

  private SmartAccess() {
  }

  /**
   * The permissions of a request made with a scoped token: {@code rolePermissions} ∩ what {@code scopes} allow.
   * Fails with {@link Forbidden} outside {@code /fhir/}, or for a {@code patient/} scope without a patient.
   */
  public static Set<String> confine(String scopes, String path, boolean hasPatient, Set<String> rolePermissions) {
    if (path == null || !path.startsWith("/fhir/")) {
      throw new Forbidden("a token with SMART scopes reaches only the FHIR API");
    }
    List<SmartScope> parsed = SmartScope.all(scopes);
    if (!hasPatient && parsed.stream().anyMatch(s -> "patient".equals(s.context()))) {
      throw new Forbidden("a patient/ scope needs the token's patient context");
    }
    Set<String> permissions = new HashSet<>(FhirScopePermissions.allowed(parsed));
    permissions.retainAll(rolePermissions);
    return Set.copyOf(permissions);
  }
}
