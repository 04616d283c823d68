package io.caduceus.routing;

import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Each shape a database outage takes in the Vert.x PostgreSQL client, produced for real against PostgreSQL, is an
 * outage; a failure of the request or of the program is not.
 */
class DatabaseOutageTest {

  private static final DatabaseEndpoint SUPERUSER = TestInfrastructure.get().superuser();

  private Vertx vertx;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void aRefusedConnectionIsAnOutage() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Pool pool = pool(SUPERUSER.connectOptions().setPort(closedPort), new PoolOptions());
    assertThat(DatabaseOutage.explains(failure(pool.query("SELECT 1").execute()))).isTrue();
  }

  @Test
  void aConnectionTheServerTerminatesIsAnOutageAndSoIsUsingItAfterwards() throws Exception {
    SqlConnection victim = await(PgConnection.connect(vertx, SUPERUSER.connectOptions()));
    int pid = await(victim.query("SELECT pg_backend_pid() AS pid").execute()).iterator().next().getInteger("pid");
    Future<?> running = victim.query("SELECT pg_sleep(30)").execute();
    SqlConnection admin = await(PgConnection.connect(vertx, SUPERUSER.connectOptions()));
    await(admin.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)));
    await(admin.close());
    // The query fails with 57P01 or, when the reset overtakes that message, with a SocketException.
    Throwable terminated = failure(running);
    assertThat(DatabaseOutage.explains(terminated)).as(terminated.toString()).isTrue();
    assertThat(DatabaseOutage.explains(failure(victim.query("SELECT 1").execute()))).isTrue();
  }

  @Test
  void tooManyConnectionsIsAnOutage() throws Exception {
    String role = "outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    SqlConnection admin = await(PgConnection.connect(vertx, SUPERUSER.connectOptions()));
    await(admin.query("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' CONNECTION LIMIT 1").execute());
    try {
      PgConnectOptions asRole = SUPERUSER.connectOptions().setUser(role).setPassword("pw");
      SqlConnection only = await(PgConnection.connect(vertx, asRole));
      Throwable refused = failure(PgConnection.connect(vertx, asRole));
      assertThat(refused).hasMessageContaining("53300");
      assertThat(DatabaseOutage.explains(refused)).isTrue();
      await(only.close());
    } finally {
      await(admin.query("DROP ROLE " + role).execute().eventually(admin::close));
    }
  }

  @Test
  void aClosedAPoolTooBusyOrTimedOutIsAnOutage() throws Exception {
    Pool closed = pool(SUPERUSER.connectOptions(), new PoolOptions());
    await(closed.close());
    assertThat(DatabaseOutage.explains(failure(closed.getConnection()))).isTrue();

    Pool one = pool(SUPERUSER.connectOptions(), new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(1)
        .setConnectionTimeout(3));
    SqlConnection held = await(one.getConnection());
    Future<SqlConnection> waiting = one.getConnection();
    Throwable tooBusy = failure(one.getConnection());
    assertThat(DatabaseOutage.explains(tooBusy)).as(tooBusy.toString()).isTrue();
    Throwable timedOut = failure(waiting);
    assertThat(DatabaseOutage.explains(timedOut)).as(timedOut.toString()).isTrue();
    await(held.close());
  }

  @Test
  void theServersOwnRefusalsOfServiceAreOutagesItsOtherErrorsAreNot() {
    for (String state : new String[] {"57P01", "57P02", "57P03", "57P05", "08006", "08001", "53300", "53200"}) {
      assertThat(DatabaseOutage.explains(new PgException("refused", "FATAL", state, null))).as(state).isTrue();
    }
    for (String state : new String[] {"08P01", "23505", "42601", "40001", "25006", "22021", "57014"}) {
      assertThat(DatabaseOutage.explains(new PgException("refused", "ERROR", state, null))).as(state).isFalse();
    }
  }

  @Test
  void anOutageWrappedByOurOwnCodeIsStillOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Throwable refused = failure(pool(SUPERUSER.connectOptions().setPort(closedPort), new PoolOptions())
        .getConnection());
    assertThat(DatabaseOutage.explains(new IllegalStateException("step failed", refused))).isTrue();
  }

  @Test
  void aBadStatementAConstraintOrAFileErrorIsNoOutage() throws Exception {
    Pool pool = pool(SUPERUSER.connectOptions(), new PoolOptions());
    assertThat(DatabaseOutage.explains(failure(pool.query("SELEC 1").execute()))).isFalse();
    assertThat(DatabaseOutage.explains(failure(pool.query("SELECT 1/0").execute()))).isFalse();
    assertThat(DatabaseOutage.explains(failure(pool.query("SELECT 'x'::uuid").execute()))).isFalse();
    assertThat(DatabaseOutage.explains(new UncheckedIOException(new IOException("disk full")))).isFalse();
    Throwable badJson = catchThrowable(() -> new JsonObject("{\"unterminated"));
    assertThat(badJson).hasCauseInstanceOf(IOException.class);
    assertThat(DatabaseOutage.explains(badJson)).isFalse();
    assertThat(DatabaseOutage.explains(new IllegalStateException("a bug"))).isFalse();
    assertThat(DatabaseOutage.explains(null)).isFalse();
  }

  private Pool pool(PgConnectOptions options, PoolOptions poolOptions) {
    return PgBuilder.pool().with(poolOptions).connectingTo(options).using(vertx).build();
  }
}
