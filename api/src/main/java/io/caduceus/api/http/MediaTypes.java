package io.caduceus.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Content negotiation by the contract: a request body in a media type the operation does not read answers 415
 * (with {@code Accept} naming the ones it does), and an {@code Accept} header that admits none of the media types
 * the operation answers in answers 406. Problem documents are sent whatever {@code Accept} says.
 */
public final class MediaTypes implements Handler<RoutingContext> {

  private final ContractRoutes routes;

  public MediaTypes(ContractRoutes routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Optional<ContractRoutes.Op> op = routes.find(request.path(), request.method());
    if (op.isEmpty()) {
      rc.next();
      return;
    }
    Set<String> consumes = op.get().consumes();
    boolean hasBody = rc.body() != null && rc.body().length() > 0;
    if (hasBody && !consumes.isEmpty() && !consumes.contains(baseType(request.getHeader(HttpHeaders.CONTENT_TYPE)))) {
      rc.response().putHeader(HttpHeaders.ACCEPT, String.join(", ", consumes));
      rc.fail(415);
    } else if (!acceptable(request.getHeader(HttpHeaders.ACCEPT), op.get().produces())) {
      rc.fail(406);
    } else {
      rc.next();
    }
  }

  /**
   * The root handler that lets the contract's validator read a SCIM body: SCIM clients send
   * {@code application/scim+json}, which vertx-openapi 5.0.8 cannot load as a request media type (see
   * {@link Contract#routerCopy}), so the router's copy declares the same schema as {@code application/json} and a
   * {@code /scim/} request's body is presented to it as such, after the published contract has admitted the type.
   */
  public static Handler<RoutingContext> scimAsJson() {
    return rc -> {
      String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
      if (type != null && rc.request().path().startsWith("/scim/") && "application/scim+json".equals(baseType(type))) {
        rc.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
      }
      rc.next();
    };
  }

  /** The media type without parameters, in lower case ({@code application/json; charset=utf-8} → the first part). */
  static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether an {@code Accept} header admits one of the offered types (RFC 9110 §12.5.1): each offered type takes
   * the quality of the most specific range that matches it, and a quality of 0 refuses it. No header, or nothing
   * offered, admits anything.
   */
  static boolean acceptable(String accept, Set<String> offered) {
    if (accept == null || accept.isBlank() || offered.isEmpty()) {
      return true;
    }
    for (String type : offered) {
      if (quality(accept, type.toLowerCase(Locale.ROOT)) > 0) {
        return true;
      }
    }
    return false;
  }

  private static double quality(String accept, String type) {
    int bestSpecificity = 0;
    double quality = 0;
    for (String part : accept.split(",")) {
      String range = baseType(part);
      int specificity = range.equals(type) ? 3
          : range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1)) ? 2
          : range.equals("*/*") ? 1 : 0;
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        quality = q(part);
      }
    }
    return quality;
  }

  private static double q(String part) {
    for (String parameter : part.split(";")) {
      String p = parameter.trim();
      if (p.startsWith("q=") || p.startsWith("Q=")) {
        try {
          return Double.parseDouble(p.substring(2).trim());
        } catch (NumberFormatException e) {
          return 1;
        }
      }
    }
    return 1;
  }
}
