package io.caduceus.notifications.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.Locale;

/**
 * An SMTP relay on 127.0.0.1 that talks until RCPT TO and then refuses every recipient with one fixed reply
 * ("550 5.1.1 ..." for a mailbox that does not exist, "451 ..." for try later). GreenMail accepts every address.
 */
public final class RejectingSmtp {

  private final String rcptReply;
  private NetServer server;

  private RejectingSmtp(String rcptReply) {
    this.rcptReply = rcptReply;
  }

  /** Starts a relay answering RCPT TO with {@code rcptReply}, on a free port. */
  public static Future<RejectingSmtp> start(Vertx vertx, String rcptReply) {
    RejectingSmtp fake = new RejectingSmtp(rcptReply);
    return vertx.createNetServer().connectHandler(fake::converse).listen(0, "127.0.0.1")
        .map(server -> {
          fake.server = server;
          return fake;
        });
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** Stops the relay. */
  public Future<Void> close() {
    return server.close();
  }

  private void converse(NetSocket socket) {
    socket.write("220 fake.test ESMTP\r\n");
    socket.handler(RecordParser.newDelimited("\r\n", line -> {
      String command = line.toString().toUpperCase(Locale.ROOT);
      if (command.startsWith("EHLO") || command.startsWith("HELO")) {
        socket.write("250-fake.test\r\n250 ENHANCEDSTATUSCODES\r\n");
      } else if (command.startsWith("MAIL FROM")) {
        socket.write("250 2.1.0 OK\r\n");
      } else if (command.startsWith("RCPT TO")) {
        socket.write(rcptReply + "\r\n");
      } else if (command.startsWith("QUIT")) {
        socket.write("221 2.0.0 Bye\r\n").onComplete(v -> socket.close());
      } else {
        socket.write("250 2.0.0 OK\r\n");
      }
    }));
  }
}
