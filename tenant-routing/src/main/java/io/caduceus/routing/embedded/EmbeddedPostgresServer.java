package io.caduceus.routing.embedded;

import io.caduceus.routing.DatabaseEndpoint;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server run from the bundled binaries, for the zero-configuration default and the tests. Its data
 * directory persists between runs unless it is started as ephemeral. A persistent server flushes its WAL to disk at
 * every commit (fsync on, synchronous_commit on), as a server of the machine's does: zonky turns fsync off by default,
 * which would have kept a newcomer's acknowledged writes, audit rows among them, only in the operating system's cache
 * (bench/README.md, "The embedded default against the machine's servers"). An ephemeral one (the tests': its data is
 * deleted when it stops) keeps fsync off: a crash of the machine loses nothing anyone keeps. Blocking: start it from
 * a worker thread.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (initialising on first use) a server whose data lives under {@code dataDir}. */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean ephemeral) {
    return start(dataDir, port, ephemeral, 200);
  }

  /**
   * As {@link #start(Path, int, boolean)}, allowing {@code maxConnections} backends: a test run shares one server
   * among several nodes at once, each with its pools and listeners.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean ephemeral, int maxConnections) {
    try {
      Files.createDirectories(dataDir);
      PostgresBinaries binaries = new PostgresBinaries(dataDir.resolve("pgbin"));
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir.resolve("pgdata"))
          .setOverrideWorkingDirectory(dataDir.resolve("pgbin").toFile())
          .setPgBinaryResolver(binaries)
          .setCleanDataDirectory(ephemeral)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setPort(port)
          // zonky turns durability off by default; the audit guarantees need it on.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", ephemeral ? "off" : "on")
          .setServerConfig("max_connections", Integer.toString(maxConnections))
          .setServerConfig("shared_buffers", "128MB")
          .setServerConfig("listen_addresses", "127.0.0.1");
      Files.createDirectories(dataDir.resolve("pgbin"));
      EmbeddedPostgres postgres = builder.start();
      binaries.remember();
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** The superuser endpoint on the maintenance database. */
  public DatabaseEndpoint superuser() {
    return new DatabaseEndpoint("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
  }

  /** The port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
