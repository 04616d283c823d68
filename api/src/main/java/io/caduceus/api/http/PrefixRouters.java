package io.caduceus.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Path;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The contract's router split by the first two segments of a path ({@code /v1/patients}, {@code /fhir/r4}), one
 * router per prefix, so a request tries only the routes that could match it.
 *
 * <p>Vert.x Web tries a router's routes in order, and a route with a path parameter tests its regular expression
 * (a {@code Matcher} and its group arrays) before it looks at the method: in one router of the whole contract,
 * {@code GET /v1/patients/{patientId}} paid for about 87 of them. The router of a prefix holds every template
 * whose first two segments equal the prefix's or are parameters, in the contract's order, so it matches a request
 * under that prefix exactly as the whole router would, root handlers, 404 and 405 included. A path whose
 * normalised form may differ from itself ({@code %}, {@code //}, a segment starting with a dot) or that has no
 * router of its own goes to the router of the whole contract.
 */
public final class PrefixRouters implements Handler<HttpServerRequest> {

  private final Map<String, Router> byPrefix = new HashMap<>();
  private Router whole;

  private PrefixRouters() {
  }

  /**
   * Builds the routers: {@code build} is called once per prefix and once for the whole contract, each time with
   * {@code contract} showing only the paths that router is to hold; {@code contract} must be the view the router
   * builder was created with ({@link #view}).
   */
  public static PrefixRouters build(View contract, Supplier<Router> build) {
    PrefixRouters routers = new PrefixRouters();
    for (Path path : contract.delegate.getPaths()) {
      String[] segments = segments(path.getName());
      if (segments.length >= 2 && !isParameter(segments[0]) && !isParameter(segments[1])) {
        routers.byPrefix.computeIfAbsent("/" + segments[0] + "/" + segments[1], prefix -> {
          contract.show(p -> underPrefix(segments(p.getName()), segments[0], segments[1]));
          return build.get();
        });
      }
    }
    contract.show(p -> true);
    routers.whole = build.get();
    return routers;
  }

  /** A view of {@code contract} for the router builder, through which {@link #build} shows one prefix at a time. */
  public static View view(OpenAPIContract contract) {
    return new View(contract);
  }

  @Override
  public void handle(HttpServerRequest request) {
    routerFor(request.path()).handle(request);
  }

  /** The router a request path goes to. */
  Router routerFor(String path) {
    Router router = null;
    if (path != null && path.length() > 1 && path.charAt(0) == '/' && isPlain(path)) {
      int second = path.indexOf('/', 1);
      if (second > 1) {
        int third = path.indexOf('/', second + 1);
        router = byPrefix.get(third < 0 ? path : path.substring(0, third));
      }
    }
    return router == null ? whole : router;
  }

  /** Whether normalising the path (percent-decoding, dot segments, doubled slashes) cannot change it. */
  private static boolean isPlain(String path) {
    return path.indexOf('%') < 0 && !path.contains("//") && !path.contains("/.") && path.indexOf('\\') < 0;
  }

  /** Whether a template can match a path whose first two segments are {@code first} and {@code second}. */
  private static boolean underPrefix(String[] template, String first, String second) {
    return template.length >= 2
        && (isParameter(template[0]) || template[0].equals(first))
        && (isParameter(template[1]) || template[1].equals(second));
  }

  private static String[] segments(String template) {
    return template.substring(1).split("/", -1);
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  /** The contract as it is, except that its paths are those {@link #build} is building a router for. */
  public static final class View extends DelegatingContract {
    private List<Path> paths;

    private View(OpenAPIContract delegate) {
      super(delegate);
      this.paths = delegate.getPaths();
    }

    private void show(Predicate<Path> shown) {
      paths = delegate.getPaths().stream().filter(shown).toList();
    }

    @Override
    public List<Path> getPaths() {
      return paths;
    }
  }
}
