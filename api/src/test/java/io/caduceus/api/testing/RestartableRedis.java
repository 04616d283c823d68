package io.caduceus.api.testing;

import io.caduceus.routing.embedded.EmbeddedRedisServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded Redis a test owns, so it can stop it, start it again on the same port (keeping its append-only file
 * when it has a data directory, as a persistent production Redis would), or flush it. Blocking: for the JUnit
 * thread.
 */
public final class RestartableRedis implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private EmbeddedRedisServer server;

  private RestartableRedis(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a Redis on a free port; with {@code dataDir} it persists there and reloads it on every start. */
  public static RestartableRedis start(Path dataDir) {
    RestartableRedis redis = new RestartableRedis(dataDir, freePort());
    redis.start();
    return redis;
  }

  /** The connection string, the same across restarts. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the server is running. */
  public synchronized boolean running() {
    return server != null;
  }

  /** Starts the server again (a no-op while it runs). */
  public synchronized void start() {
    if (server == null) {
      server = EmbeddedRedisServer.start(dataDir, port);
    }
  }

  /** Stops the server as an operator would (SIGTERM: it writes its append-only file and exits). */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Deletes what a stopped server persisted, so it starts empty: a restart that lost its data. */
  public synchronized void wipe() {
    if (server != null || dataDir == null) {
      throw new IllegalStateException("only a stopped, persistent server can be wiped");
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dataDir)).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes every key, as {@code FLUSHALL} does. */
  public void flushAll() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int read = in.readNBytes(reply, 0, reply.length);
      String answer = new String(reply, 0, read, StandardCharsets.US_ASCII);
      if (!answer.startsWith("+OK")) {
        throw new IllegalStateException("FLUSHALL answered " + answer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
