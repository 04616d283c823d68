import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The patient-journey benchmark: book -> encounter -> vitals -> diagnosis -> lab order -> (lab) specimen ->
 * results -> results back in the chart -> sign, driven over HTTP against the demo tenants (Riverside Family
 * Clinic and its linked lab, Northside Diagnostics) by concurrent workers, each running whole journeys.
 *
 * <p>Run with the server's jar on the class path (for Vert.x's JSON):
 * {@code java -cp api/target/caduceus.jar bench/Journey.java http://127.0.0.1:8080 60 8}
 * (base URL, seconds, workers). Prints journeys per second, requests per second, each step's p50/p99, and how
 * long the cross-tenant deliveries took (order placed -> acknowledged by the lab; results entered -> in the
 * chart), which are asynchronous.
 */
public final class Journey {

  private static final String PASSWORD = "demo-password-2026";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, List<Long>> TIMINGS = new ConcurrentHashMap<>();
  private static final AtomicInteger SLOTS = new AtomicInteger();
  private static final AtomicLong REQUESTS = new AtomicLong();
  private static final AtomicLong POLLS = new AtomicLong();
  private static final AtomicInteger FAILURES = new AtomicInteger();

  private static String base;
  private static Instant slotBase;

  public static void main(String[] args) throws Exception {
    base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    // Every run books its own far-future slots, so runs against the same data never collide.
    slotBase = Instant.parse("2045-01-01T00:00:00Z").plus(ThreadLocalRandom.current().nextInt(100_000), ChronoUnit.DAYS);

    Tokens tokens = new Tokens(login("frontdesk@riverside.test"), login("dr.rivera@riverside.test"),
        login("nurse.chen@riverside.test"), login("tech@northside-lab.test"));
    JsonObject doctorProfile = get("/v1/auth/me", tokens.doctor);
    String lab = labTenant(tokens);
    String practitioner = practitioner(tokens, doctorProfile.getString("userId"));
    JsonArray patients = get("/v1/patients?limit=100", tokens.desk).getJsonArray("items");

    if (warmup > 0) {
      run(tokens, lab, practitioner, patients, warmup, workers);
      TIMINGS.clear();
      REQUESTS.set(0);
      POLLS.set(0);
      FAILURES.set(0);
    }
    long started = System.nanoTime();
    int journeys = run(tokens, lab, practitioner, patients, seconds, workers);
    double elapsed = (System.nanoTime() - started) / 1e9;

    System.out.printf("journeys %d in %.1f s with %d workers: %.2f journeys/s, %.1f requests/s (+%.1f polls/s),"
            + " %d failures%n", journeys, elapsed, workers, journeys / elapsed, REQUESTS.get() / elapsed,
        POLLS.get() / elapsed, FAILURES.get());
    System.out.printf("%-34s %8s %10s %10s%n", "step", "count", "p50 ms", "p99 ms");
    for (String step : List.of("book", "open encounter", "vitals", "diagnosis", "order", "delivery: order -> lab ack",
        "specimen", "results", "delivery: results -> chart", "sign", "journey")) {
      List<Long> t = TIMINGS.getOrDefault(step, List.of());
      System.out.printf("%-34s %8d %10.1f %10.1f%n", step, t.size(), percentile(t, 0.50), percentile(t, 0.99));
    }
  }

  private record Tokens(String desk, String doctor, String nurse, String tech) {
  }

  private static int run(Tokens tokens, String lab, String practitioner, JsonArray patients, int seconds, int workers)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      pool.submit(() -> {
        while (System.nanoTime() < deadline) {
          try {
            journey(tokens, lab, practitioner, patients.getJsonObject(ThreadLocalRandom.current()
                .nextInt(patients.size())).getString("id"));
            done.incrementAndGet();
          } catch (RuntimeException e) {
            FAILURES.incrementAndGet();
            System.err.println("journey failed: " + e.getMessage());
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
    return done.get();
  }

  private static void journey(Tokens t, String lab, String practitioner, String patient) {
    long started = System.nanoTime();
    Instant start = slotBase.plus(30L * SLOTS.incrementAndGet(), ChronoUnit.MINUTES);
    String appointment = timed("book", () -> post("/v1/appointments", t.desk, new JsonObject()
        .put("patientId", patient).put("practitionerId", practitioner).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString()).put("reason", "bench")))
        .getString("id");
    String encounter = timed("open encounter", () -> post("/v1/encounters", t.doctor,
        new JsonObject().put("appointmentId", appointment))).getString("id");
    timed("vitals", () -> post("/v1/encounters/" + encounter + "/vitals", t.nurse, new JsonObject()
        .put("vitals", new JsonArray().add(vital("8867-4", 72, "/min")).add(vital("8480-6", 124, "mm[Hg]"))
            .add(vital("8462-4", 81, "mm[Hg]")))));
    timed("diagnosis", () -> post("/v1/encounters/" + encounter + "/diagnoses", t.doctor,
        new JsonObject().put("code", "E11.9").put("display", "Type 2 diabetes mellitus without complications")));
    String order = timed("order", () -> post("/v1/lab-orders", t.doctor, new JsonObject().put("patientId", patient)
        .put("labTenantId", lab).put("encounterId", encounter)
        .put("tests", new JsonArray().add(new JsonObject().put("code", "4548-4").put("display", "Hemoglobin A1c")))))
        .getString("id");
    long placed = System.nanoTime();
    String labOrder = poll(order, t.doctor, o -> o.getString("partnerOrderId") != null).getString("partnerOrderId");
    record("delivery: order -> lab ack", placed);
    timed("specimen", () -> post("/v1/lab-orders/" + labOrder + "/status", t.tech,
        new JsonObject().put("status", "specimen_collected")));
    timed("results", () -> post("/v1/lab-orders/" + labOrder + "/results", t.tech, new JsonObject()
        .put("report", "HbA1c above goal.").put("results", new JsonArray().add(new JsonObject().put("code", "4548-4")
            .put("value", 7.4).put("unit", "%").put("referenceRange", new JsonObject().put("low", 4.0).put("high", 5.6))))));
    long resulted = System.nanoTime();
    poll(order, t.doctor, o -> "resulted".equals(o.getString("status")));
    record("delivery: results -> chart", resulted);
    timed("sign", () -> post("/v1/encounters/" + encounter + "/sign", t.doctor, null));
    record("journey", started);
  }

  private static JsonObject poll(String order, String token, java.util.function.Predicate<JsonObject> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject o = send("GET", "/v1/lab-orders/" + order, token, null);
      POLLS.incrementAndGet();
      if (done.test(o)) {
        return o;
      }
      sleep(20);
    }
    throw new IllegalStateException("the exchange did not deliver within 30 s");
  }

  private static JsonObject vital(String code, double value, String unit) {
    return new JsonObject().put("code", code).put("value", value).put("unit", unit);
  }

  private static String labTenant(Tokens t) {
    for (Object link : get("/v1/partner-links", t.tech).getJsonArray("items")) {
      JsonObject l = (JsonObject) link;
      if ("lab_orders".equals(l.getString("scope")) && "active".equals(l.getString("status"))) {
        return l.getJsonObject("partner").getString("tenantId");
      }
    }
    throw new IllegalStateException("the demo lab has no active link");
  }

  private static String practitioner(Tokens t, String userId) {
    for (Object p : get("/v1/practitioners?limit=100", t.desk).getJsonArray("items")) {
      if (userId.equals(((JsonObject) p).getString("userId"))) {
        return ((JsonObject) p).getString("id");
      }
    }
    throw new IllegalStateException("the demo physician has no practitioner profile");
  }

  private static String login(String email) {
    return send("POST", "/v1/auth/login", null, new JsonObject().put("email", email).put("password", PASSWORD))
        .getString("accessToken");
  }

  private static JsonObject get(String path, String token) {
    return send("GET", path, token, null);
  }

  private static JsonObject post(String path, String token, JsonObject body) {
    REQUESTS.incrementAndGet();
    return send("POST", path, token, body);
  }

  private static JsonObject send(String method, String path, String token, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path.replaceAll("[0-9a-f-]{36}", "{id}") + " answered "
            + response.statusCode() + ": " + response.body());
      }
      return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject timed(String step, java.util.function.Supplier<JsonObject> call) {
    long started = System.nanoTime();
    JsonObject result = call.get();
    record(step, started);
    return result;
  }

  private static void record(String step, long startedNanos) {
    TIMINGS.computeIfAbsent(step, s -> Collections.synchronizedList(new ArrayList<>()))
        .add((System.nanoTime() - startedNanos) / 1_000);
  }

  private static double percentile(List<Long> micros, double p) {
    if (micros.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1000.0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
