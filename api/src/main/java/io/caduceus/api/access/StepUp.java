package io.caduceus.api.access;

import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.TenantContext;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Step-up: an operation the contract marks {@code x-caduceus-step-up: true} needs a token that proved a second factor
 * within {@link #MAX_AGE}. The tenant resolver, which reads each operation's marks, gives a request without one a
 * context whose permissions are all held back ({@link #held}); {@link Access#check} then answers a caller who holds
 * the permission but has not stepped up with 401 {@code step-up-required}, and anyone else with 403 as before. So
 * the one permission guard applies it after the role check, and a held permission grants nothing anywhere else.
 */
public final class StepUp {

  /** How recent a second factor a step-up operation needs. */
  public static final Duration MAX_AGE = Duration.ofMinutes(10);
  private static final String HELD = "step-up-held:";

  private StepUp() {
  }

  /** The permissions, held back until the caller steps up. */
  public static Set<String> held(Set<String> permissions) {
    return permissions.stream().map(p -> HELD + p).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the caller would hold the permission had they stepped up. */
  public static boolean pending(TenantContext ctx, Permission permission) {
    return ctx.can(HELD + permission.key());
  }

  /** The refusal that tells the app to step up. */
  public static Unauthorized required() {
    return Unauthorized.stepUpRequired(MAX_AGE.toSeconds());
  }
}
