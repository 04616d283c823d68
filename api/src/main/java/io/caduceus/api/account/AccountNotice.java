package io.caduceus.api.account;

import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.notifications.outbox.PermanentFailure;
import io.caduceus.routing.keys.SealBrokenException;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The outbox notice of an account email (password reset, email verification), for the engagement engine to send to
 * the user's address. Its token opens the account, so it never rests in clear: the notice carries it sealed under
 * the sending tenant's data key, bound to the token's id, and names the user (the address is read when the mail
 * goes out), as a patient invitation's notice does.
 */
public final class AccountNotice {

  /** The outbox topic family the engagement intake takes account notices from. */
  public static final String FAMILY = "account";

  private AccountNotice() {
  }

  /** The notice of an issued token. */
  static OutboxMessage of(TenantKeys keys, AccountTokens.Issued issued) {
    JsonObject payload = new JsonObject().put("tokenId", issued.id().toString())
        .put("userId", issued.userId().toString())
        .put("sealedToken", Base64.getEncoder().encodeToString(keys.seal(binding(issued.id().toString()),
            issued.token())))
        .put("expiresAt", issued.expiresAt().toString());
    return new OutboxMessage(issued.purpose().topic(), issued.userId().toString(), payload);
  }

  /** The purpose of an outbox topic, if it is an account notice's. */
  public static Optional<Purpose> purpose(String topic) {
    return Arrays.stream(Purpose.values()).filter(p -> p.topic().equals(topic)).findFirst();
  }

  /** The notice's link to the app, its token opened in memory; a notice the key no longer opens is dead. */
  public static String link(TenantKeys keys, Purpose purpose, String appLink, JsonObject payload) {
    String sealed = payload.getString("sealedToken");
    if (sealed == null) {
      throw new PermanentFailure("the account notice carries no sealed token; ask for another email");
    }
    try {
      return purpose.link(appLink, keys.open(binding(payload.getString("tokenId")),
          Base64.getDecoder().decode(sealed)));
    } catch (SealBrokenException | IllegalArgumentException e) {
      throw new PermanentFailure("the account notice's token can no longer be opened; ask for another email");
    }
  }

  private static String binding(String tokenId) {
    return "account.token/" + tokenId;
  }
}
