package io.caduceus.api.ops;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.error.DomainException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who gets the Prometheus scrape, per deployment: the rules of {@link MetricsHandlers}. */
class MetricsAccessTest {

  private static final AppConfig.Metrics EMBEDDED_DEMO = new AppConfig.Metrics(null, true, true);
  private static final AppConfig.Metrics CONFIGURED_WITHOUT_TOKEN = new AppConfig.Metrics(null, true, false);
  private static final AppConfig.Metrics WITH_TOKEN = new AppConfig.Metrics("s3cret-scrape", true, true);

  @Test
  void theEmbeddedDemoServesLoopbackCallersOnly() {
    assertThat(MetricsHandlers.refusal(EMBEDDED_DEMO, null, "127.0.0.1")).isNull();
    assertThat(MetricsHandlers.refusal(EMBEDDED_DEMO, null, "0:0:0:0:0:0:0:1")).isNull();
    assertThat(status(MetricsHandlers.refusal(EMBEDDED_DEMO, null, "10.1.2.3"))).isEqualTo(403);
  }

  @Test
  void aConfiguredDeploymentWithoutATokenServesNoMetricsAtAllNotEvenToLoopback() {
    assertThat(status(MetricsHandlers.refusal(CONFIGURED_WITHOUT_TOKEN, null, "127.0.0.1"))).isEqualTo(404);
    assertThat(status(MetricsHandlers.refusal(CONFIGURED_WITHOUT_TOKEN, "Bearer anything", "10.1.2.3")))
        .isEqualTo(404);
  }

  @Test
  void withATokenEveryCallerMustSendItLoopbackIncluded() {
    assertThat(MetricsHandlers.refusal(WITH_TOKEN, "Bearer s3cret-scrape", "10.1.2.3")).isNull();
    assertThat(status(MetricsHandlers.refusal(WITH_TOKEN, null, "127.0.0.1"))).isEqualTo(401);
    assertThat(status(MetricsHandlers.refusal(WITH_TOKEN, "Bearer s3cret", "127.0.0.1"))).isEqualTo(401);
    assertThat(status(MetricsHandlers.refusal(WITH_TOKEN, "s3cret-scrape", "127.0.0.1"))).isEqualTo(401);
  }

  private static int status(RuntimeException refusal) {
    return ((DomainException) refusal).status();
  }
}
