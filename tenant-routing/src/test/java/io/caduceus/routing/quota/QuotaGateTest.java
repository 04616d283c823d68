package io.caduceus.routing.quota;

import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quotas in Redis, and what each fallback does when Redis is not there. */
class QuotaGateTest {

  private final Quota tight = new Quota(0.5, 4);
  private final Quota loose = new Quota(1000, 1000);
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private QuotaGate gate(String redisUrl, QuotaGate.Fallback fallback, int nodes) {
    return new QuotaGate(new Gcra(RedisAPI.api(Redis.createClient(vertx, redisUrl))), "test-" + UUID.randomUUID() + ":",
        fallback, nodes);
  }

  private int allowed(QuotaGate gate, String tenant, int tries) throws Exception {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += await(gate.take(tenant, tight, "u1", loose, 1)).allowed() ? 1 : 0;
    }
    return n;
  }

  @Test
  void theBurstIsSharedInRedisAndTheRefusalSaysHowLongToWait() throws Exception {
    QuotaGate one = gate(TestInfrastructure.get().redisUrl(), QuotaGate.Fallback.LOCAL, 1);
    assertThat(allowed(one, "t1", 10)).isEqualTo(4);
    QuotaGate.Decision refused = await(one.take("t1", tight, "u1", loose, 1));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterMs()).isBetween(1L, 2_000L);
    assertThat(refused.degraded()).isFalse();
    assertThat(await(one.take("t2", tight, "u1", loose, 1)).allowed()).isTrue();
  }

  @Test
  void withRedisDownTheLocalFallbackEnforcesThisNodesShare() throws Exception {
    QuotaGate local = gate(deadRedis(), QuotaGate.Fallback.LOCAL, 2);
    assertThat(allowed(local, "t1", 10)).isEqualTo(2);
    assertThat(await(local.take("t1", tight, "u1", loose, 1)).degraded()).isTrue();
  }

  @Test
  void withRedisDownAllowServesEverythingAndDenyRefuses() throws Exception {
    assertThat(allowed(gate(deadRedis(), QuotaGate.Fallback.ALLOW, 1), "t1", 10)).isEqualTo(10);
    QuotaGate deny = gate(deadRedis(), QuotaGate.Fallback.DENY, 1);
    assertThatThrownBy(() -> await(deny.take("t1", tight, "u1", loose, 1)))
        .hasCauseInstanceOf(QuotaGate.QuotaUnavailable.class);
  }

  private static String deadRedis() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "redis://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
