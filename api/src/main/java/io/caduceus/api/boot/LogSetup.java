package io.caduceus.api.boot;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableRootCauseClassNameJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

import java.util.Map;

/**
 * The node's logging, set up in code (found by logback as a {@link Configurator} service) rather than from a
 * {@code logback.xml}: logback's XML configuration (a SAX parser, then its model built by reflection) ran first on
 * every start, before the start could begin anything in parallel, and cost a few hundred milliseconds of it.
 *
 * <p>Structured JSON, one object per line, through an asynchronous appender that never blocks. Exceptions appear as
 * their class names only: messages and stack traces can carry data, and logs must never carry PHI. A
 * {@code logback-test.xml} on the classpath or {@code -Dlogback.configurationFile} takes precedence, as before.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** Loggers quieter than the root's INFO, and why. */
  private static final Map<String, Level> LEVELS = Map.of(
      "org.flywaydb", Level.WARN,
      // Every tenant schema's first migration re-runs CREATE EXTENSION IF NOT EXISTS, and PostgreSQL's "already
      // exists, skipping" notice would be three warnings per tenant schema.
      "org.flywaydb.core.internal.sqlscript.DefaultSqlScriptExecutor", Level.ERROR,
      "io.zonky", Level.WARN,
      "io.netty", Level.WARN,
      "redis.embedded", Level.WARN,
      // vertx-micrometer registers one shared client gauge per client kind; the duplicate is harmless.
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets up {@code context}: the JSON appender behind the asynchronous one, the levels. */
  static void apply(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
    json.setContext(context);
    json.setName("JSON");
    json.setEncoder(encoder(context));
    json.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(json);
    async.start();
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
  }

  /** ts, level, logger (shortened to 36 characters), message, arguments, error and root cause class names. */
  static LoggingEventCompositeJsonEncoder encoder(LoggerContext context) {
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(context);
    LoggingEventJsonProviders providers = (LoggingEventJsonProviders) encoder.getProviders();
    LoggingEventFormattedTimestampJsonProvider timestamp = new LoggingEventFormattedTimestampJsonProvider();
    timestamp.setFieldName("ts");
    providers.addTimestamp(timestamp);
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName("level");
    providers.addLogLevel(level);
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName("logger");
    logger.setShortenedLoggerNameLength(36);
    providers.addLoggerName(logger);
    providers.addMessage(new MessageJsonProvider());
    providers.addArguments(new ArgumentsJsonProvider());
    ThrowableClassNameJsonProvider error = new ThrowableClassNameJsonProvider();
    error.setFieldName("error");
    providers.addThrowableClassName(error);
    ThrowableRootCauseClassNameJsonProvider rootCause = new ThrowableRootCauseClassNameJsonProvider();
    rootCause.setFieldName("rootCause");
    providers.addThrowableRootCauseClassName(rootCause);
    encoder.start();
    return encoder;
  }
}
