package io.caduceus.api.auth;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic against one node, tallied per phase: reads with live tokens, reads with tokens whose session was
 * ended, logins, and logout-then-read cycles that add to the ended tokens. It counts what a client would see;
 * the test decides what is acceptable.
 */
final class SessionTraffic {

  private final Api api;
  private final List<TestUser> users;
  private final List<String> live;
  private final List<String> ended = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong endedServed = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile String phase = "healthy";
  private volatile boolean running = true;
  private final Map<String, Long> durations = new ConcurrentHashMap<>();
  private long phaseStarted;
  private ExecutorService workers;

  SessionTraffic(Api api, List<TestUser> users, List<String> live, List<String> ended) {
    this.api = api;
    this.users = users;
    this.live = List.copyOf(live);
    this.ended.addAll(ended);
  }

  /** Starts one worker per user. */
  void start() {
    workers = Executors.newFixedThreadPool(users.size());
    for (int w = 0; w < users.size(); w++) {
      TestUser user = users.get(w);
      workers.submit(() -> work(user));
    }
  }

  /** Names the phase the following outcomes are tallied under. */
  void phase(String name) {
    long now = System.nanoTime();
    if (phaseStarted != 0) {
      durations.put(phase, (now - phaseStarted) / 1_000_000);
    }
    phase = name;
    phaseStarted = now;
  }

  /** How long each finished phase lasted, in milliseconds. */
  Map<String, Long> durations() {
    return new TreeMap<>(durations);
  }

  /** Stops the workers, waiting for their last requests. */
  void stop() throws InterruptedException {
    phase("stopped");
    running = false;
    workers.shutdown();
    if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the traffic did not stop");
    }
  }

  /** Outcomes as "phase operation status" to counts, sorted. */
  Map<String, Integer> outcomes() {
    Map<String, Integer> sorted = new TreeMap<>();
    outcomes.forEach((k, v) -> sorted.put(k, v.get()));
    return sorted;
  }

  /** How many times an ended session's token was served. */
  long endedServed() {
    return endedServed.get();
  }

  /** How many requests were answered so far. */
  long requests() {
    return requests.get();
  }

  /** Every token whose session was ended before or during the traffic. */
  List<String> ended() {
    return List.copyOf(ended);
  }

  private void work(TestUser user) {
    int i = 0;
    while (running) {
      // Logins hash a password (Argon2id): one in ten requests, or they would be all the machine does.
      switch (i++ % 20) {
        case 0 -> tally("login", login(user).status());
        case 1, 2 -> readEnded(ended.get(i % ended.size()));
        case 10 -> logoutThenRead(user);
        default -> tally("read-live", api.get("/v1/patients", live.get(i % live.size())).status());
      }
    }
  }

  private void readEnded(String token) {
    int status = api.get("/v1/patients", token).status();
    if (status == 200) {
      endedServed.incrementAndGet();
    }
    tally("read-ended", status);
  }

  private void logoutThenRead(TestUser user) {
    Api.Response session = login(user);
    tally("login", session.status());
    if (session.status() != 200) {
      return;
    }
    String token = session.json().getString("accessToken");
    int out = api.post("/v1/auth/logout", token, null).status();
    tally("logout", out);
    if (out == 204) {
      ended.add(token);
      readEnded(token);
    }
  }

  private Api.Response login(TestUser user) {
    return api.post("/v1/auth/login", null, new JsonObject().put("email", user.email())
        .put("password", TestPlatform.PASSWORD).put("tenantId", user.tenant().id().toString()));
  }

  private void tally(String operation, int status) {
    requests.incrementAndGet();
    outcomes.computeIfAbsent(phase + " " + operation + " " + status, k -> new AtomicInteger()).incrementAndGet();
  }
}
