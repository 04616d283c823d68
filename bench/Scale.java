import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.demo.DemoPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of {@code bench/scale.sh}: onboards tenants through the platform API, several at once, and gives the
 * tenants that will receive traffic a front-desk login. Run with the server's jar on the class path (for Vert.x's
 * JSON), as {@code java -cp api/target/caduceus.jar bench/Scale.java COMMAND ...}:
 *
 * <ul>
 *   <li>{@code onboard BASE TIER FROM TO CONCURRENCY OUT}: {@code POST /v1/platform/tenants} for the clinics
 *       {@code scale-FROM} .. {@code scale-TO} in {@code TIER} (shared, schema or database), each with a first
 *       admin's invitation, {@code CONCURRENCY} at a time, as the demo platform owner. Writes {@code n tenantId
 *       invitationToken} per tenant to {@code OUT} and prints how long it took (wall time, per tenant p50/p99).</li>
 *   <li>{@code staff BASE IN CONCURRENCY OUT}: for each {@code n tenantId invitationToken} of {@code IN}, accepts the
 *       admin invitation, invites {@code desk-n@scale.test} as a receptionist and accepts that too. Writes
 *       {@code n tenantId deskUserId} to {@code OUT}.</li>
 *   <li>{@code tokens BASE IN CONCURRENCY OUT}: logs in {@code desk-n@scale.test} for each line of {@code IN} and
 *       writes a Lua table {@code { n = .., token = ".." }} per tenant to {@code OUT} (for the wrk scripts).</li>
 * </ul>
 */
public final class Scale {

  private static final String OWNER_EMAIL = "owner@caduceus.test";
  private static final String DEMO_PASSWORD = "demo-password-2026";
  private static final String PASSWORD = "bench-password-123";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static final int MAX_RETRIES = 5;
  private static final AtomicInteger RETRIES = new AtomicInteger();

  private static String base;
  private static long ownerStep;
  private static String ownerToken;
  private static long ownerTokenAt;

  public static void main(String[] args) throws Exception {
    base = args[1];
    switch (args[0]) {
      case "onboard" -> onboard(args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]), Path.of(args[6]));
      case "staff" -> staff(Path.of(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
      case "tokens" -> tokens(Path.of(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static void onboard(String tier, int from, int to, int concurrency, Path out) throws Exception {
    long started = System.nanoTime();
    List<String[]> results = each(rangeOf(from, to), concurrency, n -> {
      long t0 = System.nanoTime();
      JsonObject body = new JsonObject()
          .put("kind", "clinic").put("slug", "scale-" + n).put("name", "Scale Clinic " + n)
          .put("dataRegion", "us").put("locale", "en-US").put("timeZone", "America/New_York")
          .put("isolationTier", tier).put("adminEmail", "admin-" + n + "@scale.test");
      JsonObject created = null;
      int attempt = 0;
      while (created == null) {
        try {
          created = send("POST", "/v1/platform/tenants", owner(), body);
        } catch (Failed e) {
          // A schema or database whose migration failed is removed with its tenant (nothing is left behind), so
          // the same request can be sent again. Concurrent schema migrations can fail that way (see README).
          if (e.status != 500 || ++attempt > MAX_RETRIES) {
            throw e;
          }
          RETRIES.incrementAndGet();
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new String[] {String.valueOf(n), created.getJsonObject("tenant").getString("id"),
          created.getJsonObject("adminInvitation").getString("token"), String.valueOf(ms),
          String.valueOf((System.nanoTime() - started) / 1_000_000)};
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    List<Long> ms = new ArrayList<>();
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      for (String[] r : results) {
        w.println(r[0] + " " + r[1] + " " + r[2]);
        ms.add(Long.parseLong(r[3]));
      }
    }
    // How the pace changed as tenants accumulated: wall time per tenant in each tenth of the run, by finish time.
    List<Long> finished = new ArrayList<>();
    results.forEach(r -> finished.add(Long.parseLong(r[4])));
    Collections.sort(finished);
    StringBuilder tenths = new StringBuilder();
    int size = finished.size();
    for (int i = 0; i < 10 && size >= 10; i++) {
      int lo = i * size / 10;
      int hi = (i + 1) * size / 10 - 1;
      long start = lo == 0 ? 0 : finished.get(lo - 1);
      tenths.append(i == 0 ? "" : " ").append((finished.get(hi) - start) / Math.max(1, hi - lo + 1));
    }
    Collections.sort(ms);
    System.out.printf("onboarded %d %s tenants in %.1f s, %d at once: %.1f ms per tenant (wall), %.1f tenants/s;"
            + " each request p50 %d ms, p99 %d ms, max %d ms; %d retried after a 500%n", results.size(), tier,
        seconds, concurrency, seconds * 1000 / Math.max(1, results.size()), results.size() / seconds,
        pct(ms, 0.50), pct(ms, 0.99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1), RETRIES.get());
    if (tenths.length() > 0) {
      System.out.println("  wall ms per tenant in each tenth of the run: " + tenths);
    }
  }

  private static void staff(Path in, int concurrency, Path out) throws Exception {
    List<String[]> lines = read(in);
    List<String[]> results = each(lines, concurrency, l -> {
      String n = l[0];
      String admin = send("POST", "/v1/invitations/accept", null, new JsonObject().put("token", l[2])
          .put("password", PASSWORD).put("displayName", "Admin " + n)).getString("accessToken");
      String invite = send("POST", "/v1/tenants/" + l[1] + "/invitations", admin, new JsonObject()
          .put("email", "desk-" + n + "@scale.test").put("roles", new JsonArray().add("receptionist")))
          .getString("token");
      String desk = send("POST", "/v1/invitations/accept", null, new JsonObject().put("token", invite)
          .put("password", PASSWORD).put("displayName", "Desk " + n)).getString("accessToken");
      String user = send("GET", "/v1/auth/me", desk, null).getString("userId");
      return new String[] {n, l[1], user};
    });
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      results.forEach(r -> w.println(String.join(" ", r)));
    }
  }

  private static void tokens(Path in, int concurrency, Path out) throws Exception {
    List<String[]> results = each(read(in), concurrency, l -> new String[] {l[0],
        send("POST", "/v1/auth/login", null, new JsonObject().put("email", "desk-" + l[0] + "@scale.test")
            .put("password", PASSWORD)).getString("accessToken")});
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      w.println("return {");
      results.forEach(r -> w.println("  { n = " + r[0] + ", token = \"" + r[1] + "\" },"));
      w.println("}");
    }
  }

  private static final class Failed extends RuntimeException {
    final int status;

    Failed(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private interface Task<T, R> {
    R run(T input) throws Exception;
  }

  /** Runs the task for every input, {@code concurrency} at a time; fails on the first failure. */
  private static <T> List<String[]> each(List<T> inputs, int concurrency, Task<T, String[]> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<String[]>> futures = new ArrayList<>();
      for (T input : inputs) {
        futures.add(pool.submit(() -> task.run(input)));
      }
      List<String[]> results = new ArrayList<>();
      for (Future<String[]> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Integer> rangeOf(int from, int to) {
    List<Integer> ns = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      ns.add(n);
    }
    return ns;
  }

  private static List<String[]> read(Path in) throws Exception {
    List<String[]> lines = new ArrayList<>();
    for (String line : Files.readAllLines(in)) {
      if (!line.isBlank()) {
        lines.add(line.trim().split("\\s+"));
      }
    }
    return lines;
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
  }

  /** The platform owner's access token, renewed every five minutes (access tokens last ten). */
  private static synchronized String owner() throws Exception {
    if (ownerToken == null || System.nanoTime() - ownerTokenAt > Duration.ofMinutes(5).toNanos()) {
      JsonObject answer = send("POST", "/v1/auth/login", null, new JsonObject().put("email", OWNER_EMAIL)
          .put("password", DEMO_PASSWORD));
      // The owner always has a second factor: a code of the demo TOTP secret, for a step not used before.
      long step = Math.max(ownerStep + 1, Totp.step(java.time.Instant.now()));
      ownerStep = step;
      ownerToken = !answer.getBoolean("mfaRequired", false) ? answer.getString("accessToken")
          : send("POST", "/v1/auth/mfa/verify", null, new JsonObject().put("mfaTicket", answer.getString("mfaTicket"))
              .put("code", new Totp().code(Base32.decode(DemoPlatform.TOTP_SECRET), step))).getString("accessToken");
      ownerTokenAt = System.nanoTime();
    }
    return ownerToken;
  }

  private static JsonObject send(String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new Failed(response.statusCode(), method + " " + path.replaceAll("[0-9a-f-]{36}", "{id}")
          + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }
}
