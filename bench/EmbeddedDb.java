import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.embedded.EmbeddedRedisServer;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL and Redis exactly as {@code ./run.sh} starts them (the server's own
 * {@link EmbeddedPostgresServer} and {@link EmbeddedRedisServer}, their settings and binaries), in a process of
 * their own, so that {@code bench/embedded.sh} can run the same bench against them and against the machine's
 * servers. Prints {@code ready <postgres port> <redis port>} once both answer, then runs until it is stopped
 * (SIGTERM), which stops both.
 *
 * <pre>java -cp api/target/caduceus.jar bench/EmbeddedDb.java &lt;data dir&gt; &lt;postgres port&gt; &lt;redis port&gt;</pre>
 */
public final class EmbeddedDb {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    // Not ephemeral: ./run.sh's server is not (its settings follow from that); bench/embedded.sh deletes the directory.
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"),
        Integer.parseInt(args[1]), false, 400);
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(dir.resolve("redis"), Integer.parseInt(args[2]));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      redis.close();
      postgres.close();
    }));
    System.out.println("ready " + postgres.port() + " " + args[2]);
    System.out.flush();
    Thread.currentThread().join();
  }
}
