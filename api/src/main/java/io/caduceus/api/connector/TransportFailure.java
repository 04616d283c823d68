package io.caduceus.api.connector;

/** The remote server could not be reached or answered a search with an error: the job fails, its checkpoint stays. */
final class TransportFailure extends RuntimeException {

  TransportFailure(String reason) {
    super(reason, null, false, false);
  }
}
