package io.caduceus.routing.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one way tests wait: a failure keeps its cause, and a wait that runs out says what it last saw. */
class AwaitTest {

  @Test
  void aFailedFutureThrowsWithItsFailureAsTheCause() {
    IllegalArgumentException refused = new IllegalArgumentException("refused");
    assertThat(Await.await(Future.succeededFuture("done"))).isEqualTo("done");
    assertThatThrownBy(() -> Await.await(Future.failedFuture(refused))).isInstanceOf(IllegalStateException.class)
        .hasCause(refused);
    assertThat(Await.failure(Future.failedFuture(refused))).isSameAs(refused);
  }

  @Test
  void expectingAFailureOfAFutureThatSucceededFailsTheTest() {
    assertThatThrownBy(() -> Await.failure(Future.succeededFuture("fine"))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("fine");
  }

  @Test
  void aFutureWithNoOutcomeFailsTheTestAtTheDeadline() {
    assertThatThrownBy(() -> Await.await(Promise.promise().future(), Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class).hasNoCause();
  }

  @Test
  void untilPollsTillTheConditionHoldsOrReportsTheLastValue() {
    AtomicInteger polls = new AtomicInteger();
    assertThat(Await.until(polls::incrementAndGet, n -> n >= 3)).isEqualTo(3);
    assertThatThrownBy(() -> Await.until(() -> "stuck", s -> false, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("stuck");
  }
}
