package io.caduceus.notifications.channel;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Email through one SMTP relay with the non-blocking Vert.x mail client. The Message-ID is derived from the
 * idempotency key, so a resend after a crash carries the same Message-ID and mail clients can fold the two.
 */
public final class SmtpSender implements Sender {

  private final SmtpAccount account;
  private final ProviderCall call;
  private final MailClient client;

  /** A sender with its own connection pool; {@code timeout} bounds each send. */
  public SmtpSender(Vertx vertx, SmtpAccount account, Duration timeout) {
    this.account = account;
    this.call = new ProviderCall("smtp", timeout, SmtpFailures::classify);
    this.client = MailClient.create(vertx, config(account, call));
  }

  @Override
  public String account() {
    return "smtp:" + account.host();
  }

  @Override
  public Future<Receipt> send(Outgoing message) {
    String messageId = messageId(message.key());
    MailMessage mail = new MailMessage()
        .setFrom(account.from())
        .setTo(message.address())
        .setSubject(message.subject())
        .setText(message.body())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("Message-ID", messageId));
    return call.bounded(client.sendMail(mail)).map(sent -> new Receipt("smtp", messageId));
  }

  /** Closes the connection pool; the sender is unusable afterwards. */
  public Future<Void> close() {
    // A pooled connection the relay already closed (after a refusal, say) fails the client's QUIT; there is nothing
    // left to release then, so closing still succeeds.
    return client.close().recover(e -> Future.succeededFuture());
  }

  /**
   * The Message-ID for an idempotency key: {@code <key@caduceus>}, with every character outside [A-Za-z0-9_-]
   * written as =XX per UTF-8 byte, so distinct keys give distinct, valid ids.
   */
  static String messageId(String key) {
    StringBuilder id = new StringBuilder("<");
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        id.append(c);
      } else {
        id.append('=').append(String.format("%02X", b & 0xff));
      }
    }
    return id.append("@caduceus>").toString();
  }

  private static MailConfig config(SmtpAccount account, ProviderCall call) {
    boolean login = account.username() != null;
    return new MailConfig()
        .setHostname(account.host())
        .setPort(account.port())
        .setStarttls(account.startTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
        .setLogin(login ? LoginOption.REQUIRED : LoginOption.DISABLED)
        .setUsername(account.username())
        .setPassword(account.password())
        .setConnectTimeout(call.connectMillis());
  }
}
