package io.caduceus.routing;

import io.caduceus.routing.quota.Gcra;
import io.caduceus.routing.quota.Quota;
import io.caduceus.routing.quota.QuotaGate;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Redis that accepts connections and never answers (hung, or cut off mid-way) fails commands at the deadline. */
class BoundedRedisTest {

  private Vertx vertx;
  private ServerSocket hung;
  private final List<Socket> accepted = new ArrayList<>();

  @BeforeEach
  void aRedisThatNeverAnswers() throws IOException {
    vertx = Vertx.vertx();
    hung = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket socket = hung.accept();
          synchronized (accepted) {
            accepted.add(socket);
          }
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws Exception {
    hung.close();
    synchronized (accepted) {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
    await(vertx.close());
  }

  private Redis bounded() {
    return new BoundedRedis(Redis.createClient(vertx, "redis://127.0.0.1:" + hung.getLocalPort()),
        Duration.ofMillis(200));
  }

  @Test
  void aCommandFailsAtTheDeadlineInsteadOfWaitingForTcp() {
    // The command itself fails (the wait reports its failure as the cause), long before the wait's own deadline.
    assertThatThrownBy(() -> await(bounded().send(Request.cmd(Command.PING))))
        .isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void theQuotaFallbackServesWhileRedisHangs() throws Exception {
    QuotaGate gate = new QuotaGate(new Gcra(RedisAPI.api(bounded())), "test:", QuotaGate.Fallback.LOCAL, 1);
    QuotaGate.Decision decision = await(gate.take("t1", new Quota(10, 10), "u1", new Quota(10, 10), 1));
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.degraded()).isTrue();
  }
}
