package io.caduceus.api.http;

import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.error.PreconditionRequired;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Strong ETags over a resource's version number, and the parsing of {@code If-Match} and {@code If-None-Match}.
 * Whether an operation takes {@code If-Match}, and whether it must, is said once, in the contract:
 * {@link #preconditions} enforces it (428 when a required one is missing), and a handler that reads it otherwise
 * than declared fails as the bug it is.
 */
public final class ETags {

  private static final String IF_MATCH = "If-Match";
  private static final String DECLARED = "caduceus.ifMatch";

  private ETags() {
  }

  /** The ETag of a version. */
  public static String of(int version) {
    return "\"" + version + "\"";
  }

  /**
   * The root handler that holds every request to its operation's declared {@code If-Match}: 428 when a required
   * one is missing, before anything else reads the request.
   */
  public static Handler<RoutingContext> preconditions(ContractRoutes routes) {
    return rc -> {
      ContractRoutes.IfMatch declared = routes.find(rc.request().path(), rc.request().method())
          .map(ContractRoutes.Op::ifMatch).orElse(ContractRoutes.IfMatch.NONE);
      rc.put(DECLARED, declared);
      String ifMatch = rc.request().getHeader(IF_MATCH);
      if (declared == ContractRoutes.IfMatch.REQUIRED && (ifMatch == null || ifMatch.isBlank())) {
        rc.fail(new PreconditionRequired("send If-Match with the ETag of the version you are changing"));
      } else {
        rc.next();
      }
    };
  }

  /**
   * The version the request's {@code If-Match} names, for an operation whose contract requires it. A value that is
   * not one of our ETags can match no version and fails with 412.
   */
  public static int required(RoutingContext rc) {
    declared(rc, ContractRoutes.IfMatch.REQUIRED);
    String ifMatch = rc.request().getHeader(IF_MATCH);
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new PreconditionRequired("send If-Match with the ETag of the version you are changing");
    }
    return version(ifMatch);
  }

  /** The version an optional {@code If-Match} names, or null when absent; the contract must declare it optional. */
  public static Integer optional(RoutingContext rc) {
    declared(rc, ContractRoutes.IfMatch.OPTIONAL);
    String ifMatch = rc.request().getHeader(IF_MATCH);
    return ifMatch == null || ifMatch.isBlank() ? null : version(ifMatch);
  }

  private static int version(String ifMatch) {
    Integer version = parse(ifMatch);
    if (version == null) {
      throw new PreconditionFailed("If-Match does not name a current version");
    }
    return version;
  }

  /** Refuses, as a bug rather than a client error, a handler that reads If-Match otherwise than its contract says. */
  private static void declared(RoutingContext rc, ContractRoutes.IfMatch reading) {
    ContractRoutes.IfMatch declared = rc.get(DECLARED, ContractRoutes.IfMatch.NONE);
    if (declared != reading) {
      throw new IllegalStateException("the handler reads If-Match as " + reading + " but the contract declares it "
          + declared);
    }
  }

  /**
   * Whether an {@code If-None-Match} value names the ETag (RFC 9110 §13.1.2: weak comparison, {@code *} matches
   * any current representation). A missing header matches nothing.
   */
  public static boolean matchesAny(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    String opaque = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || opaque(tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  private static Integer parse(String ifMatch) {
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() < 3 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
      return null;
    }
    try {
      return Integer.parseInt(v.substring(1, v.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
