package io.caduceus.notifications.fakes;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What a fake provider does to its next sends instead of accepting them at once, in the order they were planned. */
final class Faults {

  /** One planned misbehaviour. */
  sealed interface Fault permits Fail, Delay, Held {
  }

  /** Refuse the send with this HTTP status and, where the provider has one, this error code. */
  record Fail(int status, Integer code) implements Fault {
  }

  /** Handle the send normally, but only after this long. */
  record Delay(Duration delay) implements Fault {
  }

  /** Accept and record the send, but answer only when the hold is released. */
  record Held(Hold hold) implements Fault {
  }

  private final Queue<Fault> planned = new ConcurrentLinkedQueue<>();

  void failNext(int n, int status, Integer code) {
    for (int i = 0; i < n; i++) {
      planned.add(new Fail(status, code));
    }
  }

  void delayNext(Duration delay) {
    planned.add(new Delay(delay));
  }

  Hold holdNext() {
    Hold hold = new Hold();
    planned.add(new Held(hold));
    return hold;
  }

  /** The fault for the send now arriving, or null to accept it. */
  Fault next() {
    return planned.poll();
  }
}
