package io.caduceus.api.auth.mfa;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whom a tenant requires MFA of: nobody ({@code none}), all staff ({@code all_staff}: every member who is not only a
 * patient), or the members holding one of {@code roles}. The platform owner's accounts always need it, whatever the
 * platform tenant's policy says.
 */
public record MfaPolicy(String requiredFor, List<String> roles) {

  /** The policy of a tenant that has set none. */
  public static final MfaPolicy NONE = new MfaPolicy("none", List.of());

  public MfaPolicy {
    roles = List.copyOf(roles);
  }

  /** The policy in a tenant's effective "security" keys ({@code mfaRequiredFor}, {@code mfaRoles}). */
  static MfaPolicy fromSettings(JsonObject settings) {
    List<String> roles = new ArrayList<>();
    settings.getJsonArray("mfaRoles", new JsonArray()).forEach(r -> roles.add((String) r));
    return new MfaPolicy(settings.getString("mfaRequiredFor", NONE.requiredFor()), roles);
  }

  /** Whether a member holding {@code memberRoles} must have MFA. */
  public boolean requires(Collection<String> memberRoles) {
    if (memberRoles.contains("platform_owner")) {
      return true;
    }
    return switch (requiredFor) {
      case "all_staff" -> memberRoles.stream().anyMatch(r -> !"patient".equals(r));
      case "roles" -> memberRoles.stream().anyMatch(roles::contains);
      default -> false;
    };
  }

  /** The contract's {@code MfaPolicy}. */
  public JsonObject toJson() {
    return new JsonObject().put("requiredFor", requiredFor).put("roles", new JsonArray(roles));
  }
}
