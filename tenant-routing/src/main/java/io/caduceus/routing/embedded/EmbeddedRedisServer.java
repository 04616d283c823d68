package io.caduceus.routing.embedded;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Redis server run from the bundled binary, for the zero-configuration default and the tests. With a data
 * directory it keeps an append-only file there, so revocations survive a restart. Blocking.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private EmbeddedRedisServer(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a server on {@code port} (0 picks a free one), persisting under {@code dataDir} when it is given. The
   * library writes the Redis binary to a temporary file and runs it; a process forked at that moment by another
   * start-up thread (zonky's {@code pg_ctl}, which now starts at the same time) inherits the file open for writing,
   * and running it then fails with "Text file busy" until that child has run its own program. That failure is
   * retried, a few times, shortly after. It blocks: it runs at start-up on a thread of its own
   * ({@code Infrastructure.prepare}), before any event loop exists, and never on one.
   */
  public static EmbeddedRedisServer start(Path dataDir, int port) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dataDir, port);
      } catch (UncheckedIOException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("Text file busy")) {
          throw e;
        }
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static EmbeddedRedisServer startOnce(Path dataDir, int port) {
    try {
      int chosen = port == 0 ? freePort() : port;
      var builder = RedisServer.newRedisServer().port(chosen).bind("127.0.0.1").setting("save \"\"");
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setting("dir " + dataDir.toAbsolutePath())
            .setting("appendonly yes")
            .setting("appendfsync everysec");
      } else {
        builder.setting("appendonly no");
      }
      RedisServer server = builder.build();
      server.start();
      return new EmbeddedRedisServer(server, chosen);
    } catch (IOException e) {
      // Redis's own words (e.g. "Address already in use"), which the library puts in its message, cut short
      // (the library wraps them: "Failed to start Redis service", caused by the process's own output).
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
      throw new UncheckedIOException("embedded Redis did not start: " + why.substring(0, Math.min(why.length(), 500)),
          e);
    }
  }

  /** The connection string of the server. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
