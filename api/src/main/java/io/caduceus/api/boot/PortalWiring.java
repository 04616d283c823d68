package io.caduceus.api.boot;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.http.Operations;
import io.caduceus.api.portal.AccessLogService;
import io.caduceus.api.portal.PatientSources;
import io.caduceus.api.portal.PortalHandlers;
import io.caduceus.api.portal.PortalService;

/** The patient's own view across the clinics that hold their records, and who has looked at them. */
final class PortalWiring {

  final PortalService portal;
  final AccessLogService accessLog;

  PortalWiring(Shared shared, UserRepository users, EffectiveConfig config) {
    var db = shared.db();
    var catalog = shared.catalog();
    var regions = shared.regions();
    var audit = shared.audit();
    var cursors = shared.cursors();
    PatientSources patientSources = new PatientSources(users, catalog);
    this.portal = new PortalService(db, patientSources, regions, audit, config);
    this.accessLog = new AccessLogService(db, patientSources, regions, users, catalog, audit, cursors);
  }

  /** Binds the portal operations. */
  void bind(Operations ops) {
    new PortalHandlers(portal, accessLog).bind(ops);
  }
}
