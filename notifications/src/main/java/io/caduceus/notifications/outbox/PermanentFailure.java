package io.caduceus.notifications.outbox;

/** A delivery failure that retrying cannot mend (a revoked link, a suspended partner). Its message is PHI-free. */
public final class PermanentFailure extends RuntimeException {

  public PermanentFailure(String reason) {
    super(reason, null, false, false);
  }
}
