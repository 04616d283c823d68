package io.caduceus.api.appointment;

import io.caduceus.api.error.Conflict;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a visit may be attended. Check-in opens two hours before the start, but never before the day of the visit
 * begins in the clinic's time zone (a patient is not checked in the day before). Fulfilled and no-show are
 * outcomes, recorded only once the visit has started. Cancelling and rescheduling are not time-bound here.
 */
final class Attendance {

  /** How long before the start a patient may be checked in. */
  static final Duration CHECK_IN_AHEAD = Duration.ofHours(2);

  private Attendance() {
  }

  /** Fails with a conflict when {@code a} may not move to {@code next} at {@code now}. */
  static void require(Appointment a, AppointmentStatus next, Instant now, ZoneId zone) {
    if (next == AppointmentStatus.CHECKED_IN && now.isBefore(checkInOpens(a.start(), zone))) {
      throw new Conflict("check-in opens at " + checkInOpens(a.start(), zone) + ": two hours before the start, and"
          + " not before the day of the visit in the clinic's time zone");
    }
    if ((next == AppointmentStatus.FULFILLED || next == AppointmentStatus.NO_SHOW) && now.isBefore(a.start())) {
      throw new Conflict("an appointment can be " + next.wire() + " only once it has started, at " + a.start());
    }
  }

  /** The moment check-in opens for a visit starting at {@code start}. */
  static Instant checkInOpens(Instant start, ZoneId zone) {
    Instant dayBegins = start.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    Instant ahead = start.minus(CHECK_IN_AHEAD);
    return ahead.isAfter(dayBegins) ? ahead : dayBegins;
  }
}
