package io.caduceus.api.edge;

import io.caduceus.api.boot.TestPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Caduceus process (a node, or the router) started from the test's own class path with an environment, its
 * output kept in a file for debugging. It is a separate JVM: killing it is a real crash, not a simulated one.
 */
record ChildJvm(String name, int port, Path log, Process process) {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Starts {@code io.caduceus.api.Main} with {@code args} and {@code env}; output goes to {@code logs/name.log}, the
   * folder made if need be.
   */
  static ChildJvm start(String name, int port, Map<String, String> env, Path logs, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.caduceus.api.Main"));
    command.addAll(List.of(args));
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CADUCEUS_"));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logs);
      return new ChildJvm(name, port, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A free loopback port. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The environment of a node of its own on {@code port}: embedded databases under a fresh data directory, the demo
   * platform seeded, two event loops, and no quotas (a fault test's load must not be throttled).
   */
  static Map<String, String> demoNode(int port, String dataDirPrefix) {
    Map<String, String> env = TestPlatform.freshEnvironment();
    env.put("CADUCEUS_HTTP_PORT", Integer.toString(port));
    env.put("CADUCEUS_HTTP_INSTANCES", "2");
    env.put("CADUCEUS_DEMO_SEED", "true");
    env.put("CADUCEUS_QUOTAS", "false");
    try {
      env.put("CADUCEUS_DATA_DIR", Files.createTempDirectory(dataDirPrefix).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  /** Waits until {@code path} answers 200, failing early (with the log's tail) if the process dies. */
  ChildJvm awaitReady(String path, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause(200);
    }
    throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail());
  }

  /** Kills the process at once (SIGKILL): no graceful shutdown, connections drop mid-request. */
  void kill() {
    process.destroyForcibly();
  }

  /** Asks the process to stop (SIGTERM), as Kubernetes, systemd or {@code docker stop} do. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit and returns its exit status; fails (with the log's tail) if it outlives the wait. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still runs after " + timeout + ":\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The process's output so far, line by line. */
  List<String> logLines() {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
