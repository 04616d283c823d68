package io.caduceus.api.boot;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.config.ConfigService;
import io.caduceus.api.config.TenantLevelBackfill;
import io.caduceus.api.http.Operations;
import io.caduceus.api.telehealth.GuestHandlers;
import io.caduceus.api.telehealth.GuestPassService;
import io.caduceus.api.telehealth.GuestService;
import io.caduceus.api.telehealth.SessionTransitions;
import io.caduceus.api.telehealth.TelehealthHandlers;
import io.caduceus.api.telehealth.TelehealthService;
import io.caduceus.api.telehealth.TelehealthSettingsService;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.routing.catalog.Memberships;
import io.caduceus.routing.config.ConfigStore;

import java.time.Clock;
import java.util.UUID;

/**
 * Virtual visits: the tenant's telehealth settings, the sessions and their transitions, the waiting rooms and the
 * participants' video tokens, and the visits' guests with their public code exchange (throttled per address as
 * logins are), over the video rooms of {@link VideoWiring}. The session a virtual booking opens is
 * linked in {@link ClinicalWiring} (it joins the appointment's transaction).
 */
final class TelehealthWiring {

  final TelehealthService telehealth;
  final SessionTransitions transitions;
  /** The telehealth settings: the "telehealth" configuration namespace's tenant level, projected into the regions. */
  final TelehealthSettingsService settings;
  /** Brings the settings kept in the regions before the store into it (the actor "V21"). */
  final TenantLevelBackfill backfill;
  private final GuestHandlers guests;

  TelehealthWiring(Shared shared, VideoRooms rooms, LoginThrottle throttle, ConfigStore configStore,
                   ConfigService config) {
    var db = shared.db();
    this.telehealth = new TelehealthService(db, rooms, Clock.systemUTC());
    this.transitions = new SessionTransitions(db, rooms, shared.outbox(), Clock.systemUTC());
    this.settings = new TelehealthSettingsService(db, config);
    this.backfill = new TenantLevelBackfill(shared.servedTenants(), db, configStore, TelehealthSettingsService.NAMESPACE,
        new UUID(0, 21), settings::kept);
    this.guests = new GuestHandlers(
        new GuestService(db, new Memberships(shared.controlPlane()), rooms, Clock.systemUTC()),
        new GuestPassService(db, shared.regions(), shared.catalog(), rooms, throttle, Clock.systemUTC()));
  }

  /** Binds the telehealth operations. */
  void bind(Operations ops) {
    new TelehealthHandlers(telehealth, transitions, settings).bind(ops);
    guests.bind(ops);
  }
}
