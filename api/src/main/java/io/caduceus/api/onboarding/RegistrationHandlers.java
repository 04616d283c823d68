package io.caduceus.api.onboarding;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The public {@code /v1/registrations} operation. */
public final class RegistrationHandlers {

  private final RegistrationService registrations;

  public RegistrationHandlers(RegistrationService registrations) {
    this.registrations = registrations;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("registerOrganisation", this::register);
  }

  private Future<Reply> register(RoutingContext rc) {
    return registrations.register(Requests.body(rc), Requests.clientAddress(rc), Requests.requestId(rc),
            Requests.audit(rc))
        .map(tenant -> Reply.accepted(new JsonObject().put("tenant", TenantJson.of(tenant))
            .put("next", "The platform reviews the registration. Once it is approved, sign in with the admin account"
                + " and invite your staff.")));
  }
}
