package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform tenant's email, sent through the test JVM's GreenMail as an admin of that tenant would configure
 * it, so a test reads the account emails a user gets.
 */
public final class PlatformMail {

  private static boolean served;

  private PlatformMail() {
  }

  /** The shared mailbox, once the platform tenant sends through it. */
  public static synchronized Mailbox mailbox() {
    Mailbox mailbox = Mailbox.get();
    if (!served) {
      TestPlatform platform = TestPlatform.get();
      TestUser mailAdmin = platform.user(platform.platformOwner().tenant(), "tenant_admin");
      mailbox.serve(platform.api(), platform.token(mailAdmin));
      served = true;
    }
    return mailbox;
  }

  /** The token of the link in {@code mail} that opens {@code path} (e.g. "/password-reset"). */
  public static String token(String mail, String path) {
    Matcher link = Pattern.compile(Pattern.quote(path) + "#token=([A-Za-z0-9_-]{43})").matcher(mail);
    assertThat(link.find()).as("a %s link in: %s", path, mail).isTrue();
    return link.group(1);
  }
}
