package io.caduceus.api.http;

import io.caduceus.routing.RequestStage;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;

/**
 * Times the stages of a request in the router as {@link RequestStage} events: the whole request, its root handlers,
 * the token check, the contract's validation, and any stage a handler names ({@link #start}). Nothing is timed or
 * stored unless a recording takes the events when the request arrives.
 */
public final class RequestStages {

  /** The router stage under way (root handlers, token, validation), present only while a recording takes stages. */
  private static final String CURRENT = "caduceus.stage";
  private static final String OPERATION = "caduceus.operation";

  private RequestStages() {
  }

  /** The first root handler: begins the request, which ends once its response has gone, and its root handlers. */
  public static PlatformHandler first() {
    return rc -> {
      RequestStage request = RequestStage.start("request");
      if (request.recording()) {
        rc.put(CURRENT, RequestStage.start("root handlers"));
        rc.addEndHandler(sent -> finish(rc, request));
      }
      rc.next();
    };
  }

  /** The last root handler: the root handlers are done; route matching and the token check begin. */
  public static Handler<RoutingContext> last() {
    return rc -> {
      next(rc, "token");
      rc.next();
    };
  }

  /** The contract's request extractor, whose call begins the validation (and ends the token check). */
  public static RequestExtractor validating(RequestExtractor extractor) {
    return (rc, operation) -> {
      next(rc, "validation");
      return extractor.extractValidatableRequest(rc, operation);
    };
  }

  /** The first handler of an operation's route: validation has ended; the stages after it name the operation. */
  public static Handler<RoutingContext> routed(String operationId) {
    return rc -> {
      if (rc.get(CURRENT) != null) {
        rc.put(OPERATION, operationId);
        next(rc, null);
      }
      rc.next();
    };
  }

  /** Begins a stage of the request, to {@link RequestStage#finish} or {@link RequestStage#until} its end. */
  public static RequestStage start(RoutingContext rc, String stage) {
    RequestStage started = RequestStage.start(stage);
    return started.recording() ? started.of(rc.get(OPERATION), Requests.requestId(rc)) : started;
  }

  private static void next(RoutingContext rc, String stage) {
    RequestStage current = rc.get(CURRENT);
    if (current != null) {
      finish(rc, current);
      if (stage == null) {
        rc.remove(CURRENT);
      } else {
        rc.put(CURRENT, RequestStage.start(stage));
      }
    }
  }

  private static void finish(RoutingContext rc, RequestStage stage) {
    stage.of(rc.get(OPERATION), Requests.requestId(rc)).finish();
  }
}
