package io.caduceus.api.boot;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {

  @Test
  void logbackFindsTheSetupAsAService() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
        .map(p -> p.type().getName())).contains(LogSetup.class.getName());
  }

  @Test
  void aLineIsJsonWithTheFieldsTheXmlHadAndNoExceptionText() {
    LoggerContext context = new LoggerContext();
    LogSetup.apply(context);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("org.flywaydb").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.micrometer.core.instrument.MeterRegistry").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
    AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC");
    assertThat(async.isStarted()).isTrue();
    assertThat(async.isNeverBlock()).isTrue();
    @SuppressWarnings("unchecked")
    ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> json =
        (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) async.getAppender("JSON");
    ch.qos.logback.classic.Logger logger = context.getLogger("io.caduceus.api.patient.PatientService");
    LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, "could not do {}",
        new IllegalStateException("Jane Doe, born 1970-01-01", new java.io.IOException("MRN 12345")),
        new Object[] {"it"});
    JsonObject line = new JsonObject(new String(json.getEncoder().encode(event), StandardCharsets.UTF_8).trim());
    assertThat(line.fieldNames()).contains("ts", "level", "logger", "message", "error", "rootCause");
    assertThat(line.getString("level")).isEqualTo("WARN");
    assertThat(line.getString("message")).isEqualTo("could not do it");
    assertThat(line.getString("logger")).hasSizeLessThanOrEqualTo(36).endsWith("PatientService");
    assertThat(line.getString("error")).isEqualTo("IllegalStateException");
    assertThat(line.getString("rootCause")).isEqualTo("IOException");
    assertThat(line.encode()).doesNotContain("Jane Doe").doesNotContain("MRN 12345");
    context.stop();
  }
}
