package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Outgoing;
import io.caduceus.notifications.channel.Receipt;
import io.caduceus.notifications.channel.Sender;
import io.vertx.core.Future;

/**
 * Accepts every message and sends nothing: with no provider configured, the message and its rendered words stay
 * in the tenant's message history ({@code provider = "sandbox"}), so the demo works offline and shows what would
 * have gone out.
 */
final class SandboxSender implements Sender {

  static final SandboxSender INSTANCE = new SandboxSender();

  @Override
  public String account() {
    return "sandbox";
  }

  @Override
  public Future<Receipt> send(Outgoing message) {
    return Future.succeededFuture(new Receipt("sandbox", "sandbox-" + message.messageId()));
  }
}
