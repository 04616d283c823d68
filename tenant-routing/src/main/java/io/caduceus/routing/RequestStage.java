package io.caduceus.routing;

import io.vertx.core.Future;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One stage of a request (token, revocation, bulkhead, {@code set_config} + query, JSON...) as a Java Flight Recorder
 * event, so a recording that enables {@value #NAME} shows where a request's time goes (bench/stages.sh).
 *
 * <p>Without such a recording a stage costs the object and a flag test: nothing is timed, named or committed. A
 * stage begins at {@link #start} and ends at {@link #finish}, or when the future given to {@link #until}
 * completes. Stages that only know the request id (those timed below the HTTP layer) are tied to their operation
 * by that id.
 */
@Name(RequestStage.NAME)
@Label("Request stage")
@Category("Caduceus")
@Description("A stage of a request's path, from its start to its end")
@StackTrace(false)
public final class RequestStage extends Event {

  /** The event's name, to enable it in a recording's settings. */
  public static final String NAME = "io.caduceus.RequestStage";

  @Label("Stage")
  private String stage;

  @Label("Operation")
  private String operationId;

  @Label("Request id")
  private String requestId;

  /** The operation of work no request started (audit sealing, relays, engagement cycles), timed all the same. */
  public static final String BACKGROUND = "background";

  private RequestStage() {
  }

  /** Begins a stage, if a recording is taking these events. */
  public static RequestStage start(String stage) {
    RequestStage event = new RequestStage();
    if (event.isEnabled()) {
      event.stage = stage;
      event.begin();
    }
    return event;
  }

  /** Whether this stage is being timed: a recording took it when it began. */
  public boolean recording() {
    return stage != null;
  }

  /** Names the request this stage belongs to: its operation (null where not known) and its request id. */
  public RequestStage of(String operationId, String requestId) {
    if (recording()) {
      this.operationId = operationId;
      this.requestId = requestId;
    }
    return this;
  }

  /** Ends the stage now and records it. */
  public void finish() {
    if (recording()) {
      end();
      if (shouldCommit()) {
        commit();
      }
    }
  }

  /** Ends the stage when {@code work} completes; {@code work} itself is returned while nothing is recorded. */
  public <T> Future<T> until(Future<T> work) {
    return recording() ? work.andThen(done -> finish()) : work;
  }
}
