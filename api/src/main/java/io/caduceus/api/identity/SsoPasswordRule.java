package io.caduceus.api.identity;

import io.caduceus.api.auth.PasswordLoginRule;
import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.Membership;
import io.vertx.core.Future;

import java.util.UUID;

/**
 * A tenant that requires single sign-on refuses its staff's passwords, except its one break-glass local admin's;
 * patients keep their passwords (the requirement is for the staff the IdP knows).
 */
public final class SsoPasswordRule implements PasswordLoginRule {

  private final ControlPlane controlPlane;
  private final SsoRepository repository = new SsoRepository();

  public SsoPasswordRule(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Override
  public Future<Void> check(UUID userId, Membership membership) {
    if (membership.roles().contains("patient")) {
      return Future.succeededFuture();
    }
    return repository.requirement(controlPlane.pool(), membership.tenantId()).compose(found -> {
      if (found.isEmpty() || !found.get().requireSso() || userId.equals(found.get().breakGlassUserId())) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new Forbidden("this tenant requires single sign-on for its staff: sign in through "
          + "GET /v1/auth/sso/start?tenant=<the tenant's slug> (or ?email=<your work email>)"));
    });
  }
}
