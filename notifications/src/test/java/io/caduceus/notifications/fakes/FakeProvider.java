package io.caduceus.notifications.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What every fake HTTP provider shares: a server on a free port of 127.0.0.1, a ledger of the sends it accepted, and
 * the faults planned for its next sends.
 *
 * @param <S> one accepted send, as the provider saw it
 */
public abstract class FakeProvider<S> {

  final Vertx vertx;
  final Faults faults = new Faults();
  final List<S> ledger = new CopyOnWriteArrayList<>();
  private HttpServer server;

  FakeProvider(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts the fake's server on a free port of 127.0.0.1; the fake, once it listens. */
  static <F extends FakeProvider<?>> Future<F> listen(F fake) {
    FakeProvider<?> provider = fake;
    return provider.vertx.createHttpServer().requestHandler(provider::handle).listen(0, "127.0.0.1")
        .map(server -> {
          provider.server = server;
          return fake;
        });
  }

  /** The base URL to give the sender in place of the provider's own. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every send accepted so far, oldest first; safe to read while sends arrive. */
  public List<S> ledger() {
    return List.copyOf(ledger);
  }

  /** Handles the next send only after {@code delay}. */
  public void delayNext(Duration delay) {
    faults.delayNext(delay);
  }

  /** Records the next send (it shows in the ledger) but answers it only when the returned hold is released. */
  public Hold holdNext() {
    return faults.holdNext();
  }

  /** Stops the server, dropping held requests. */
  public Future<Void> close() {
    return server.close();
  }

  /** Answers one request to the fake. */
  abstract void handle(HttpServerRequest request);

  /**
   * Puts the send now arriving through the next planned fault: delays it, refuses it, or accepts it, under the hold
   * planned for it (null when none was).
   */
  void planned(Consumer<Faults.Fail> refuse, Consumer<Hold> accept) {
    Faults.Fault fault = faults.next();
    if (fault instanceof Faults.Delay delay) {
      vertx.setTimer(delay.delay().toMillis(), t -> accept.accept(null));
    } else if (fault instanceof Faults.Fail fail) {
      refuse.accept(fail);
    } else {
      accept.accept(fault instanceof Faults.Held held ? held.hold() : null);
    }
  }

  /** Records the accepted send, then answers at once or, under a hold, once the hold is released. */
  void record(S sent, Hold hold, Runnable answer) {
    ledger.add(sent);
    if (hold == null) {
      answer.run();
    } else {
      hold.arrive();
      hold.released().onComplete(released -> answer.run());
    }
  }
}
