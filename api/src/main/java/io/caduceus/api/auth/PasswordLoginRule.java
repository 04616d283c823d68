package io.caduceus.api.auth;

import io.caduceus.routing.catalog.Membership;
import io.vertx.core.Future;

import java.util.UUID;

/**
 * Whether a tenant takes a password from this member at all (a tenant that requires single sign-on refuses its
 * staff's passwords); checked after the password, so a refusal tells nothing to someone without it.
 */
@FunctionalInterface
public interface PasswordLoginRule {

  /** Every tenant takes passwords. */
  PasswordLoginRule ANY = (userId, membership) -> Future.succeededFuture();

  /** Succeeds when the member may sign in to the membership's tenant with a password; else fails with a problem. */
  Future<Void> check(UUID userId, Membership membership);
}
