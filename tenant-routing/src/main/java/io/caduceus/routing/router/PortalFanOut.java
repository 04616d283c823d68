package io.caduceus.routing.router;

import io.caduceus.routing.catalog.BearerTokens;
import io.caduceus.routing.catalog.Membership;
import io.caduceus.routing.catalog.Memberships;
import io.caduceus.routing.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patient portal's unified view across regions. The regions are those of the caller's own patient
 * memberships (control plane, for the verified user; never named by the request) plus the active tenant's. With
 * one region the request is proxied like any other. With several, the same request (same Authorization) goes to
 * one node of each region in parallel, each with failover inside its region, and {@link PortalMerge} makes one
 * view. The active tenant's region decides: its node's refusal (401, 403) is the answer, and without it there is
 * no view (503). Another region that fails leaves its tenants listed unavailable. The records cross the router in
 * memory only; nothing of them is stored or logged.
 */
final class PortalFanOut {

  static final String PATH = "/v1/portal/records";
  private static final List<String> FORWARDED = List.of("Authorization", "Accept", "Accept-Language",
      RequestIds.HEADER);

  private final HttpClient client;
  private final BearerTokens tokens;
  private final RegionResolver resolver;
  private final Memberships memberships;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final long retryAfterSeconds;

  PortalFanOut(HttpClient client, BearerTokens tokens, RegionResolver resolver, Memberships memberships,
               RouterConfig config) {
    this.client = client;
    this.tokens = tokens;
    this.resolver = resolver;
    this.memberships = memberships;
    this.connectTimeout = config.connectTimeout();
    this.requestTimeout = config.requestTimeout();
    this.retryAfterSeconds = config.retryAfterSeconds();
  }

  /** Whether the request is the unified view. */
  static boolean handles(HttpServerRequest request) {
    return request.method() == HttpMethod.GET && PATH.equals(request.path());
  }

  /** The regions to ask: the active tenant's first, then those of the caller's patient memberships. */
  private record Plan(String active, Set<String> regions, Map<String, String> regionOf) {
  }

  /** A node's answer: its status, content type and body. */
  private record Answer(int status, String contentType, Buffer body) {
  }

  /** Answers the view, or hands a one-region view to {@code proxy}. */
  void handle(HttpServerRequest request, Handler<HttpServerRequest> proxy) {
    request.pause();
    tokens.verify(request.getHeader(HttpHeaders.AUTHORIZATION))
        .compose(bearer -> Future.all(resolver.regionOfTenant(bearer.tenant()), memberships.ofUser(bearer.user()))
            .map(both -> plan(bearer.tenant().toString(), both.<RegionNodes>resultAt(0).region(), both.resultAt(1))))
        .onSuccess(plan -> {
          if (plan.regions().size() == 1) {
            proxy.handle(request);
          } else {
            fanOut(request, plan);
          }
        })
        .onFailure(failure -> problem(request, failure));
  }

  // Only a patient acting as one fans out: anyone else gets the active tenant's node's answer (a 403) alone.
  private static Plan plan(String activeTenant, String active, List<Membership> memberships) {
    Set<String> regions = new LinkedHashSet<>(List.of(active));
    Map<String, String> regionOf = new HashMap<>();
    for (Membership m : memberships) {
      if (m.usable() && m.patientId().isPresent()) {
        regionOf.put(m.tenantId().toString(), m.dataRegion());
      }
    }
    if (regionOf.containsKey(activeTenant)) {
      regions.addAll(regionOf.values());
    }
    return new Plan(active, regions, regionOf);
  }

  private void fanOut(HttpServerRequest request, Plan plan) {
    List<String> regions = new ArrayList<>(plan.regions());
    List<Future<Answer>> asked = new ArrayList<>();
    regions.forEach(region -> asked.add(resolver.nodes(region).compose(nodes -> ask(nodes, request, new HashSet<>()))));
    Future.join(asked).onComplete(done -> {
      try {
        answer(request, plan, regions, asked).send(request);
      } catch (RuntimeException e) {
        problem(request, e);
      }
    });
  }

  private EdgeAnswer answer(HttpServerRequest request, Plan plan, List<String> regions, List<Future<Answer>> asked) {
    Future<Answer> active = asked.get(0);
    if (active.failed()) {
      return EdgeProblems.of(active.cause(), request.path(), request.getHeader(RequestIds.HEADER), retryAfterSeconds);
    }
    if (active.result().status() != 200) {
      return new EdgeAnswer(active.result().status(), headers(request, active.result()), active.result().body());
    }
    Map<String, JsonObject> answers = new HashMap<>();
    for (int i = 0; i < regions.size(); i++) {
      Future<Answer> answer = asked.get(i);
      if (answer.succeeded() && answer.result().status() == 200) {
        answers.put(regions.get(i), new JsonObject(answer.result().body()));
      }
    }
    Buffer view = PortalMerge.merge(plan.active(), answers, plan.regionOf()).toBuffer();
    return new EdgeAnswer(200, headers(request, active.result()), view);
  }

  /** One node of the region answers; a node that fails is marked down and the next one is asked (a GET). */
  private Future<Answer> ask(RegionNodes region, HttpServerRequest request, Set<Node> tried) {
    Node node = region.pick(tried);
    if (node == null) {
      return Future.failedFuture(region.noneLeft());
    }
    tried.add(node);
    return send(node, request).recover(failure -> {
      region.countRetry();
      return ask(region, request, tried);
    });
  }

  private Future<Answer> send(Node node, HttpServerRequest request) {
    return client.request(node.requestOptions(connectTimeout, requestTimeout).setMethod(HttpMethod.GET)
            .setURI(request.uri()))
        .compose(out -> {
          FORWARDED.forEach(name -> {
            if (request.getHeader(name) != null) {
              out.putHeader(name, request.getHeader(name));
            }
          });
          return out.send();
        })
        .compose(in -> in.body().map(body -> new Answer(in.statusCode(), in.getHeader(HttpHeaders.CONTENT_TYPE), body)))
        .onFailure(failure -> node.markDown("request failed (" + failure.getClass().getSimpleName() + ")"));
  }

  private static MultiMap headers(HttpServerRequest request, Answer answer) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Cache-Control", "no-store")
        .add(RequestIds.HEADER, request.getHeader(RequestIds.HEADER));
    if (answer.contentType() != null) {
      headers.add("Content-Type", answer.contentType());
    }
    return headers;
  }

  private void problem(HttpServerRequest request, Throwable failure) {
    EdgeProblems.of(failure, request.path(), request.getHeader(RequestIds.HEADER), retryAfterSeconds).send(request);
  }
}
