package io.caduceus.notifications.engage;

import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * A link that is itself a credential (an account invitation's single-use token) and so never rests in clear. The
 * message carries it sealed under the tenant's data key, bound to the message's idempotency key; the dispatcher
 * opens it in memory to fill {@code {{link}}} in the words it sends, and stores those words with the link
 * {@link #WITHHELD}. A tenant archive therefore holds it only sealed, under a key only the platform can unwrap.
 */
public final class SealedLink {

  /** What stands in for the link in the stored words (the message's history, its content, any export). */
  public static final String WITHHELD = "[one-time link withheld]";

  static final String VARIABLE = "sealedLink";

  private SealedLink() {
  }

  /** The variables of message {@code idempotencyKey} carrying {@code link} sealed. */
  public static JsonObject variables(TenantKeys keys, String idempotencyKey, String link) {
    return new JsonObject().put(VARIABLE, Base64.getEncoder().encodeToString(keys.seal(binding(idempotencyKey),
        link)));
  }

  /** Whether the message carries a sealed link. */
  static boolean carried(Message m) {
    return m.variables().containsKey(VARIABLE);
  }

  /** The message's link, opened; fails if the tenant's key no longer opens it. */
  static String open(TenantKeys keys, Message m) {
    return keys.open(binding(m.idempotencyKey()), Base64.getDecoder().decode(m.variables().getString(VARIABLE)));
  }

  private static String binding(String idempotencyKey) {
    return "message.link/" + idempotencyKey;
  }
}
