package io.caduceus.api.appointment;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * What a virtual visit adds to its appointment's changes, inside the transaction that makes them (the telehealth
 * module implements it, so booking, cancelling and the session stay one unit).
 */
public interface VisitSessions {

  /**
   * Opens the telehealth session of a virtual visit just booked and answers its id; fails with a 4xx problem when
   * the tenant has virtual visits off.
   */
  Future<UUID> open(SqlConnection conn, TenantContext ctx, Appointment visit);

  /**
   * The appointment changed (rescheduled, cancelled, a no-show, or {@code deleted} as entered in error): its
   * session, if it has one, follows.
   */
  Future<Void> follow(SqlConnection conn, TenantContext ctx, Appointment visit, boolean deleted);
}
