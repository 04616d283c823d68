import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The region router's overhead: the same request, GET /v1/patients/{id} as the demo front desk, sent straight to a
 * node and through the router, in one run. After a warm-up of both paths, it measures direct, routed, direct,
 * routed (interleaved, so drift on a shared machine hits both alike), each with the same number of connections
 * kept busy (closed loop), and prints throughput, p50 and p99 per path and the ratios.
 *
 * <p>{@code java -cp api/target/caduceus.jar bench/RouterBench.java NODE_URL ROUTER_URL SECONDS WARMUP CONNECTIONS}
 */
public final class RouterBench {

  private static final String PASSWORD = "demo-password-2026";

  public static void main(String[] args) throws Exception {
    URI direct = URI.create(args[0]);
    URI routed = URI.create(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int connections = Integer.parseInt(args[4]);
    String token = login(routed, "frontdesk@riverside.test");
    String patient = new JsonObject(get(routed, "/v1/patients?limit=1", token)).getJsonArray("items")
        .getJsonObject(0).getString("id");
    String path = "/v1/patients/" + patient;

    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    run(http, direct, path, token, connections, warmup);
    run(http, routed, path, token, connections, warmup);
    Result directRun = run(http, direct, path, token, connections, seconds);
    Result routedRun = run(http, routed, path, token, connections, seconds);
    directRun = directRun.plus(run(http, direct, path, token, connections, seconds));
    routedRun = routedRun.plus(run(http, routed, path, token, connections, seconds));

    System.out.printf("router overhead: GET /v1/patients/{id}, %d connections, 2 x %d s per path, interleaved%n",
        connections, seconds);
    System.out.printf("%-10s %12s %10s %10s %8s%n", "path", "per second", "p50 ms", "p99 ms", "errors");
    directRun.print("direct");
    routedRun.print("router");
    System.out.printf("ratio router/direct: throughput %.2f, p50 %.2f, p99 %.2f%n",
        routedRun.perSecond() / directRun.perSecond(), routedRun.percentile(0.50) / directRun.percentile(0.50),
        routedRun.percentile(0.99) / directRun.percentile(0.99));
    vertx.close().await();
    System.exit(0);
  }

  /** Latencies (microseconds) of the answered requests, errors, and the time they took. */
  private record Result(List<Long> latencies, long errors, double seconds) {

    Result plus(Result other) {
      List<Long> all = new ArrayList<>(latencies);
      all.addAll(other.latencies);
      return new Result(all, errors + other.errors, seconds + other.seconds);
    }

    double perSecond() {
      return latencies.size() / seconds;
    }

    double percentile(double p) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1000.0;
    }

    void print(String name) {
      System.out.printf("%-10s %12.0f %10.2f %10.2f %8d%n", name, perSecond(), percentile(0.50), percentile(0.99),
          errors);
    }
  }

  /** {@code connections} loops, each sending the next request when the last is answered, for {@code seconds}. */
  private static Result run(HttpClient http, URI base, String path, String token, int connections, int seconds)
      throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong errors = new AtomicLong();
    long started = System.nanoTime();
    long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Promise<Void> done = Promise.promise();
      loop(http, base, path, token, deadline, latencies, errors, done);
      loops.add(done.future());
    }
    Future.all(loops).await();
    return new Result(latencies, errors.get(), (System.nanoTime() - started) / 1e9);
  }

  private static void loop(HttpClient http, URI base, String path, String token, long deadline, List<Long> latencies,
                           AtomicLong errors, Promise<Void> done) {
    if (System.nanoTime() >= deadline) {
      done.complete();
      return;
    }
    long sent = System.nanoTime();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(base.getPort())
            .setURI(path).putHeader("Authorization", "Bearer " + token))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(answer -> {
          if (answer.succeeded() && answer.result() == 200) {
            latencies.add((System.nanoTime() - sent) / 1000);
          } else {
            errors.incrementAndGet();
          }
          loop(http, base, path, token, deadline, latencies, errors, done);
        });
  }

  private static String login(URI base, String email) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", email).put("password", PASSWORD)
            .encode())).build();
    return new JsonObject(java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        .body()).getString("accessToken");
  }

  private static String get(URI base, String path, String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build();
    return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
