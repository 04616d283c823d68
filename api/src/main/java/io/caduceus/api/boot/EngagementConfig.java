package io.caduceus.api.boot;

import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.channel.SmtpAccount;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.notifications.engage.DispatchOptions;
import io.caduceus.notifications.engage.PlatformAccounts;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Resolves {@link AppConfig.Engagement} from the {@code engagement} section of the config file and the
 * {@code CADUCEUS_FCM_*}, {@code CADUCEUS_TWILIO_*} and {@code CADUCEUS_SMTP_*} variables. A provider with no
 * account configured leaves its channel in the sandbox.
 */
final class EngagementConfig {

  private EngagementConfig() {
  }

  static AppConfig.Engagement resolve(JsonObject e, Map<String, String> env, String publicUrl) {
    JsonObject fcm = e.getJsonObject("fcm", new JsonObject());
    JsonObject twilio = e.getJsonObject("twilio", new JsonObject());
    JsonObject smtp = e.getJsonObject("smtp", new JsonObject());
    JsonObject rates = e.getJsonObject("ratesPerSecond", new JsonObject());
    String base = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    DispatchOptions dispatch = new DispatchOptions(e.getInteger("perTenantBatch", 50),
        Duration.ofSeconds(e.getLong("leaseSeconds", 120L)), e.getInteger("maxAttempts", 6),
        Duration.ofMillis(e.getLong("retryBaseMs", 2000L)),
        base == null ? null : base + "/v1/webhooks/twilio", e.getString("appLink", "https://app.caduceus.invalid"));
    return new AppConfig.Engagement(Duration.ofMillis(e.getLong("tickMs", 500L)),
        Duration.ofMillis(e.getLong("scheduleEveryMs", 15_000L)), dispatch,
        Duration.ofMillis(e.getLong("sendTimeoutMs", 10_000L)),
        new PlatformAccounts(fcm(fcm, env), twilio(twilio, env), smtp(smtp, env)),
        new ProviderEndpoints(value(env, "CADUCEUS_FCM_BASE_URL", fcm, "baseUrl"),
            value(env, "CADUCEUS_TWILIO_BASE_URL", twilio, "baseUrl")),
        Map.of("twilio", rates.getDouble("twilio", 10.0), "fcm", rates.getDouble("fcm", 500.0),
            "smtp", rates.getDouble("smtp", 20.0)));
  }

  private static FcmAccount fcm(JsonObject json, Map<String, String> env) {
    String project = value(env, "CADUCEUS_FCM_PROJECT_ID", json, "projectId");
    if (project == null) {
      return null;
    }
    String file = value(env, "CADUCEUS_FCM_CREDENTIALS_FILE", json, "credentialsFile");
    return new FcmAccount(project, file == null ? null : read(Path.of(file)));
  }

  private static TwilioAccount twilio(JsonObject json, Map<String, String> env) {
    String sid = value(env, "CADUCEUS_TWILIO_ACCOUNT_SID", json, "accountSid");
    if (sid == null) {
      return null;
    }
    return new TwilioAccount(sid, required(value(env, "CADUCEUS_TWILIO_AUTH_TOKEN", json, "authToken"),
        "CADUCEUS_TWILIO_AUTH_TOKEN"), required(value(env, "CADUCEUS_TWILIO_FROM", json, "from"), "CADUCEUS_TWILIO_FROM"));
  }

  private static SmtpAccount smtp(JsonObject json, Map<String, String> env) {
    String host = value(env, "CADUCEUS_SMTP_HOST", json, "host");
    if (host == null) {
      return null;
    }
    String port = value(env, "CADUCEUS_SMTP_PORT", json, "port");
    String startTls = value(env, "CADUCEUS_SMTP_STARTTLS", json, "startTls");
    return new SmtpAccount(host, port == null ? 587 : Integer.parseInt(port),
        value(env, "CADUCEUS_SMTP_USERNAME", json, "username"), value(env, "CADUCEUS_SMTP_PASSWORD", json, "password"),
        required(value(env, "CADUCEUS_SMTP_FROM", json, "from"), "CADUCEUS_SMTP_FROM"),
        startTls == null || Boolean.parseBoolean(startTls));
  }

  private static String value(Map<String, String> env, String variable, JsonObject json, String field) {
    String fromEnv = env.get(variable);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    Object fromFile = json.getValue(field);
    return fromFile == null ? null : fromFile.toString();
  }

  private static String required(String value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required with the rest of that provider's account");
    }
    return value;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the FCM credentials file", e);
    }
  }
}
