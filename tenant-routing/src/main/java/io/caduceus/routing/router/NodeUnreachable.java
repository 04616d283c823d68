package io.caduceus.routing.router;

/** No connection to the node could be had, so the request was never sent: any request may go to another node. */
final class NodeUnreachable extends RuntimeException {

  NodeUnreachable(Throwable cause) {
    super(cause.getClass().getSimpleName(), null, false, false);
  }
}
