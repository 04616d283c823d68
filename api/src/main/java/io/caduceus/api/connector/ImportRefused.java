package io.caduceus.api.connector;

/** One remote resource cannot be held; the reason names no value of it, and the job goes on. */
final class ImportRefused extends RuntimeException {

  ImportRefused(String reason) {
    super(reason, null, false, false);
  }
}
