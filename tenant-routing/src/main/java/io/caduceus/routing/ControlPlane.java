package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.Function;

/** The control-plane database (the {@code global} one): tenancy and identity, never PHI. */
public final class ControlPlane {

  private final Pool pool;

  private ControlPlane(Pool pool) {
    this.pool = pool;
  }

  /** Opens the control-plane pool as the app role. */
  public static ControlPlane open(Vertx vertx, DatabaseEndpoint appEndpoint, int poolSize, int eventLoops) {
    return new ControlPlane(PgBuilder.pool()
        .with(new PoolOptions()
            .setMaxSize(poolSize)
            .setMaxWaitQueueSize(poolSize * 64)
            .setEventLoopSize(eventLoops)
            .setName("control-plane"))
        .connectingTo(appEndpoint.connectOptions())
        .using(vertx)
        .build());
  }

  /** The pool, for single statements that need no transaction. */
  public Pool pool() {
    return pool;
  }

  /** Runs {@code work} in one control-plane transaction. */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  /** Closes the pool. */
  public Future<Void> close() {
    return pool.close();
  }
}
