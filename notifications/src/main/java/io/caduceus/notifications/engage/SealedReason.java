package io.caduceus.notifications.engage;

import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * The reason a clinician stated for an emergency access, carried by the privacy officers' alert: free text that may
 * describe the patient, so, as a {@link SealedLink}, it never rests in clear. The message carries it sealed under
 * the tenant's data key, bound to the message's idempotency key; the dispatcher opens it in memory to fill
 * {@code {{reason}}} (a clinical variable, so email only) and stores the words sent with it {@link #WITHHELD}, so
 * whoever reads the message history (a CRM manager, an export) never sees it; the break-glass report does.
 */
public final class SealedReason {

  /** What stands in for the reason in the stored words. */
  public static final String WITHHELD = "[reason withheld: see the break-glass report]";

  static final String VARIABLE = "sealedReason";

  private SealedReason() {
  }

  /** {@code variables} of message {@code idempotencyKey}, plus {@code reason} sealed. */
  public static JsonObject add(JsonObject variables, TenantKeys keys, String idempotencyKey, String reason) {
    return variables.put(VARIABLE, Base64.getEncoder().encodeToString(keys.seal(binding(idempotencyKey), reason)));
  }

  /** Whether the message carries a sealed reason. */
  static boolean carried(Message m) {
    return m.variables().containsKey(VARIABLE);
  }

  /** The message's reason, opened; fails if the tenant's key no longer opens it. */
  static String open(TenantKeys keys, Message m) {
    return keys.open(binding(m.idempotencyKey()), Base64.getDecoder().decode(m.variables().getString(VARIABLE)));
  }

  private static String binding(String idempotencyKey) {
    return "message.reason/" + idempotencyKey;
  }
}
