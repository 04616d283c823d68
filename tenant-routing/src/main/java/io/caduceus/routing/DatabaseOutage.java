package io.caduceus.routing;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a database that cannot serve now from a request or a program that is wrong. An outage (PostgreSQL stopped,
 * restarting, failing over, out of connections, unreachable) is answered 503 with {@code Retry-After} and retried by
 * the background loops; anything else stays a bug.
 *
 * <p>These are the shapes an outage takes in the Vert.x 5 PostgreSQL client, as found by restarting PostgreSQL under
 * load ({@code PostgresRestartTest}): a refused or reset connection ({@link java.net.ConnectException}, a netty
 * {@code IOException} such as "Broken pipe"), a connection that closed under a query ({@link
 * ClosedConnectionException}, or a {@code VertxException} saying so, since the client has no class for it), a pool
 * that timed out, is too busy or closed, and the server's own refusals: SQLSTATE class 08 (connection exception),
 * 57P01-57P03 and 57P05 (shut down, crashed, starting up, idle session ended) and class 53 (out of connections,
 * memory or disk). Each may arrive wrapped, by a compose chain or by our own code, so the whole cause chain is
 * searched; the search stops at an {@link UncheckedIOException}, which our code uses for files, never the network,
 * and at a JSON decoding or encoding failure, whose cause is a parser's {@code IOException}.
 */
public final class DatabaseOutage {

  /** SQLSTATE classes whose every code is an outage: connection exceptions and insufficient resources. */
  private static final Set<String> OUTAGE_CLASSES = Set.of("08", "53");
  /** Further SQLSTATEs of an outage: admin shutdown, crash shutdown, cannot connect now, idle session timeout. */
  private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03", "57P05");
  /** A protocol violation is in class 08 but means a client or proxy bug, not an outage. */
  private static final String PROTOCOL_VIOLATION = "08P01";
  /** How the client words a closed connection or an exhausted pool, where it has no class of its own. */
  private static final List<String> OUTAGE_MESSAGES = List.of("Connection is not active now",
      "Pending requests failed to be sent due to connection has been closed", "Pool closed", "Timeout",
      "Connection is closed");
  private static final int MAX_DEPTH = 16;

  private DatabaseOutage() {
  }

  /** Whether {@code failure}, or anything it wraps, says the database cannot serve now. */
  public static boolean explains(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
      if (t instanceof UncheckedIOException || t instanceof DecodeException || t instanceof EncodeException) {
        return false;
      }
      if (isOutage(t)) {
        return true;
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return false;
  }

  private static boolean isOutage(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (OUTAGE_STATES.contains(state)
          || OUTAGE_CLASSES.contains(state.substring(0, Math.min(2, state.length())))
          && !PROTOCOL_VIOLATION.equals(state));
    }
    if (t instanceof IOException && !t.getClass().getName().startsWith("com.fasterxml.jackson.")
        || t instanceof ClosedConnectionException
        || t instanceof ConnectionPoolTooBusyException || t instanceof TimeoutException) {
      return true;
    }
    String message = t.getMessage();
    return message != null && t.getClass().getName().startsWith("io.vertx.")
        && OUTAGE_MESSAGES.stream().anyMatch(message::startsWith);
  }
}
