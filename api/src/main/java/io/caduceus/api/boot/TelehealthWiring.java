package io.caduceus.api.boot;

import io.caduceus.api.http.Operations;
import io.caduceus.api.telehealth.SessionTransitions;
import io.caduceus.api.telehealth.TelehealthHandlers;
import io.caduceus.api.telehealth.TelehealthService;
import io.caduceus.api.telehealth.TelehealthSettingsService;
import io.caduceus.api.telehealth.video.VideoRooms;

import java.time.Clock;

/**
 * Virtual visits: the tenant's telehealth settings, the sessions and their transitions, the waiting rooms and the
 * participants' video tokens, over the video rooms of {@link VideoWiring}. The session a virtual booking opens is
 * linked in {@link ClinicalWiring} (it joins the appointment's transaction).
 */
final class TelehealthWiring {

  final TelehealthService telehealth;
  final SessionTransitions transitions;
  final TelehealthSettingsService settings;

  TelehealthWiring(Shared shared, VideoRooms rooms) {
    var db = shared.db();
    this.telehealth = new TelehealthService(db, rooms, Clock.systemUTC());
    this.transitions = new SessionTransitions(db, rooms, shared.outbox(), Clock.systemUTC());
    this.settings = new TelehealthSettingsService(db);
  }

  /** Binds the telehealth operations. */
  void bind(Operations ops) {
    new TelehealthHandlers(telehealth, transitions, settings).bind(ops);
  }
}
