package io.caduceus.api.live;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Announces a change to every node of the region, inside the transaction that makes it: PostgreSQL delivers a
 * {@code NOTIFY} to the listeners when, and only if, that transaction commits, in commit order. A node that was not
 * listening at the time misses it; its clients read the current state when they (re)subscribe.
 */
public final class LiveChanges {

  /** The channel every node listens on, in each database that holds tenants of its regions. */
  public static final String CHANNEL = "caduceus_live";

  private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

  private LiveChanges() {
  }

  /** Sends {@code change} when the transaction {@code conn} is in commits. */
  public static Future<Void> publish(SqlConnection conn, LiveChange change) {
    return conn.preparedQuery(NOTIFY).execute(Tuple.of(change.encode())).mapEmpty();
  }
}
