import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.demo.DemoPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The noisy-neighbour benchmark: tenant B (Northside Diagnostics) reads its worklist at a steady rate, first alone,
 * then while tenant A (Riverside) floods at ten times its request quota, then while A floods with its quota lifted.
 * Reports B's p50/p99 in each phase, measured in one run, and what A got (200 vs 429).
 *
 * <p>Run against a demo node: {@code java -cp api/target/caduceus.jar bench/NoisyNeighbour.java URL SECONDS}.
 */
public final class NoisyNeighbour {

  private static final String PASSWORD = "demo-password-2026";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .executor(Executors.newFixedThreadPool(4)).build();

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int steady = Integer.getInteger("b.rate", 20);
    int quota = Integer.getInteger("a.quota", 50);
    String owner = login(base, "owner@caduceus.test");
    String a = login(base, "frontdesk@riverside.test");
    String b = login(base, "tech@northside-lab.test");
    JsonObject whoIsA = me(base, a);
    String riverside = whoIsA.getJsonObject("activeTenant").getString("tenantId");
    String aUser = whoIsA.getString("userId");
    String patient = new JsonObject(get(base, "/v1/patients?limit=1", a).body()).getJsonArray("items")
        .getJsonObject(0).getString("id");
    String aPath = "/v1/patients/" + patient;
    String bPath = "/v1/lab-orders?direction=incoming&limit=5";
    setQuota(base, owner, riverside, quota, quota, null);

    // Warm-up runs both paths (B's reads, A's flood and its refusals), so no phase pays for the JIT.
    phase(base, b, bPath, steady, a, aPath, quota * 10, 15);
    List<Long> alone = phase(base, b, bPath, steady, null, null, 0, seconds).get("b");
    Map<String, List<Long>> flooded = phase(base, b, bPath, steady, a, aPath, quota * 10, seconds);
    setQuota(base, owner, riverside, 100_000, 100_000, aUser);
    Map<String, List<Long>> unlimited = phase(base, b, bPath, steady, a, aPath, quota * 10, seconds);
    setQuota(base, owner, riverside, quota, quota, null);

    System.out.printf("noisy neighbour: B steady at %d req/s; A quota %d/s, flooding at %d req/s; %d s per phase%n",
        steady, quota, quota * 10, seconds);
    report("B alone", alone);
    report("B while A floods (A held to its quota)", flooded.get("b"));
    report("B while A floods (A's quota lifted)", unlimited.get("b"));
    System.out.printf("A with its quota: %d answered 200, %d answered 429%n", flooded.get("a200").size(),
        flooded.get("a429").size());
    System.out.printf("A without a quota: %d answered 200, %d answered 429%n", unlimited.get("a200").size(),
        unlimited.get("a429").size());
    System.out.printf("B p99 ratio, flooded/alone: %.2f with A's quota, %.2f without%n",
        percentile(flooded.get("b"), 0.99) / percentile(alone, 0.99),
        percentile(unlimited.get("b"), 0.99) / percentile(alone, 0.99));
    System.exit(0);
  }

  /** B at {@code bRate} and, if given, A at {@code aRate}, for {@code seconds}; latencies in microseconds. */
  private static Map<String, List<Long>> phase(String base, String bToken, String bPath, int bRate, String aToken,
                                               String aPath, int aRate, int seconds) throws Exception {
    Map<String, List<Long>> out = new ConcurrentHashMap<>();
    for (String k : List.of("b", "a200", "a429", "other")) {
      out.put(k, Collections.synchronizedList(new ArrayList<>()));
    }
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    AtomicLong inFlight = new AtomicLong();
    clock.scheduleAtFixedRate(() -> fire(base, bPath, bToken, out, "b", inFlight), 0, 1_000_000 / bRate,
        TimeUnit.MICROSECONDS);
    if (aToken != null) {
      clock.scheduleAtFixedRate(() -> fire(base, aPath, aToken, out, "a", inFlight), 0, 1_000_000 / aRate,
          TimeUnit.MICROSECONDS);
    }
    Thread.sleep(seconds * 1000L);
    clock.shutdownNow();
    while (inFlight.get() > 0) {
      Thread.sleep(50);
    }
    return out;
  }

  private static void fire(String base, String path, String token, Map<String, List<Long>> out, String who,
                           AtomicLong inFlight) {
    long started = System.nanoTime();
    inFlight.incrementAndGet();
    HTTP.sendAsync(request(base, path, token).build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete((r, e) -> {
          long micros = (System.nanoTime() - started) / 1000;
          String key = e != null ? "other" : who.equals("b") ? (r.statusCode() == 200 ? "b" : "other")
              : r.statusCode() == 200 ? "a200" : r.statusCode() == 429 ? "a429" : "other";
          out.get(key).add(micros);
          inFlight.decrementAndGet();
        });
  }

  private static void report(String label, List<Long> micros) {
    System.out.printf("  %-44s %6d requests  p50 %7.1f ms  p99 %7.1f ms%n", label, micros.size(),
        percentile(micros, 0.50) / 1000, percentile(micros, 0.99) / 1000);
  }

  private static double percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  /** Sets A's tenant quota and, if {@code user} is given, the same for that user (lifting the user default too). */
  private static void setQuota(String base, String owner, String tenant, int perSecond, int burst, String user)
      throws Exception {
    JsonObject q = new JsonObject().put("perSecond", perSecond).put("burst", burst);
    JsonObject body = new JsonObject().put("tenant", q).put("users", user == null ? new JsonArray()
        : new JsonArray().add(q.copy().put("userId", user)));
    HttpResponse<String> r = HTTP.send(request(base, "/v1/platform/tenants/" + tenant + "/quotas", owner)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("setting the quota answered " + r.statusCode());
    }
  }

  private static String login(String base, String email) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
            .put("email", email).put("password", PASSWORD).encode())).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject answer = new JsonObject(r.body());
    if (answer.getBoolean("mfaRequired", false)) { // the owner and the admins: a code of the demo TOTP secret
      for (long step = Totp.step(java.time.Instant.now()), s = step; s <= step + 1; s++) {
        HttpResponse<String> v = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/mfa/verify"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                .put("mfaTicket", answer.getString("mfaTicket")).put("code", new Totp().code(
                    Base32.decode(DemoPlatform.TOTP_SECRET), s)).encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (v.statusCode() == 200) {
          return new JsonObject(v.body()).getString("accessToken");
        }
      }
    }
    return answer.getString("accessToken");
  }

  private static JsonObject me(String base, String token) throws Exception {
    return new JsonObject(get(base, "/v1/auth/me", token).body());
  }

  private static HttpResponse<String> get(String base, String path, String token) throws Exception {
    return HTTP.send(request(base, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String base, String path, String token) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token);
  }
}
