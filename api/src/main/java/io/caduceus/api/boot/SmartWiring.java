package io.caduceus.api.boot;

import io.caduceus.api.auth.Revocations;
import io.caduceus.api.auth.SigningKeys;
import io.caduceus.api.http.Operations;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.api.smart.AppAuthorization;
import io.caduceus.api.smart.AppGrant;
import io.caduceus.api.smart.AppKeys;
import io.caduceus.api.encounter.Encounter;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.patient.PatientService;
import io.caduceus.api.smart.BackendGrant;
import io.caduceus.api.smart.FhirUsers;
import io.caduceus.api.smart.SmartApps;
import io.caduceus.api.smart.SmartConsents;
import io.caduceus.api.smart.SmartClients;
import io.caduceus.api.smart.SmartHandlers;
import io.caduceus.api.smart.SmartLaunches;
import io.caduceus.api.smart.SmartTokens;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Vertx;

/** SMART on FHIR: discovery, the OAuth endpoints, backend clients, apps and consents, over the node's keys and revocations. */
final class SmartWiring {

  private final SmartHandlers handlers;

  SmartWiring(AppConfig config, ControlPlane controlPlane, Revocations revocations, SigningKeys keys,
              ServerUrl serverUrl, TenantDb db, PatientService patients, EncounterService encounters, Vertx vertx) {
    String issuer = config.security().issuer();
    SmartClients clients = new SmartClients(controlPlane, revocations);
    SmartTokens tokens = new SmartTokens(keys, issuer, config.security().accessTokenTtl());
    SmartApps apps = new SmartApps(controlPlane, revocations);
    String consentPage = config.engagement().dispatch().appLink() + "/smart/authorize";
    this.handlers = new SmartHandlers(new SmartHandlers.Services(clients, new BackendGrant(controlPlane, clients, tokens),
        apps, new AppAuthorization(controlPlane, apps, consentPage),
        new SmartConsents(controlPlane, revocations, new FhirUsers(db)),
        new AppGrant(controlPlane, tokens, apps, new AppKeys(vertx), revocations), new SmartLaunches(controlPlane, apps, patients::exists,
            (ctx, id) -> encounters.get(ctx, id).map(Encounter::patientId))),
        serverUrl, issuer);
  }

  /** Binds SMART's operations. */
  void bind(Operations ops) {
    handlers.bind(ops);
  }
}
