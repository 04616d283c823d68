package io.caduceus.api.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * A real SMTP server (GreenMail) for the whole test JVM. A tenant that stores it as its own email account has its
 * messages really sent there, so a test reads the email a patient would get.
 */
public final class Mailbox {

  private static Mailbox instance;

  private final GreenMail mail;
  private final Set<MimeMessage> read = Collections.newSetFromMap(new IdentityHashMap<>());

  private Mailbox() {
    this.mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
  }

  /** The shared server, started on first use. */
  public static synchronized Mailbox get() {
    if (instance == null) {
      instance = new Mailbox();
    }
    return instance;
  }

  /** Makes the clinic's email go out through this server, as its admin would configure it. */
  public void serve(Clinic clinic) {
    serve(clinic.platform.api(), clinic.token(clinic.admin));
  }

  /** Makes the email of the tenant whose admin holds {@code adminToken} go out through this server. */
  public void serve(Api api, String adminToken) {
    expect(api.put("/v1/engagement/credentials/email", adminToken, new JsonObject().put("host", "127.0.0.1")
        .put("port", mail.getSmtp().getPort()).put("from", "front-desk@clinic.test").put("startTls", false)), 200);
  }

  /** The subject and text of the next email to {@code address} not read before, waiting for it to arrive. */
  public synchronized String nextTo(String address) {
    MimeMessage received = Await.until(() -> to(address), found -> !found.isEmpty(), Duration.ofSeconds(60))
        .get(0);
    read.add(received);
    try {
      return received.getSubject() + "\n" + received.getContent();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<MimeMessage> to(String address) {
    List<MimeMessage> found = new ArrayList<>();
    try {
      for (MimeMessage m : mail.getReceivedMessages()) {
        for (Address recipient : m.getAllRecipients()) {
          if (recipient.toString().equalsIgnoreCase(address) && !read.contains(m)) {
            found.add(m);
          }
        }
      }
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }
}
