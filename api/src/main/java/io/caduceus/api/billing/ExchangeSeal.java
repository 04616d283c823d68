package io.caduceus.api.billing;

import io.caduceus.routing.keys.AesGcm;
import io.caduceus.routing.keys.MasterKey;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Keeps a member id sealed while it crosses tenants. The exchange message waits in the sender's outbox, so the
 * id travels sealed under a key derived from the platform's master key, bound to the claim; the receiver opens
 * it only to seal it again under its own tenant key.
 */
public final class ExchangeSeal {

  private final SecretKey key;

  public ExchangeSeal(MasterKey master) {
    this.key = master.derive("exchange-seal");
  }

  String seal(UUID claimId, String memberId) {
    return Base64.getEncoder().encodeToString(AesGcm.seal(key, memberId.getBytes(StandardCharsets.UTF_8),
        context(claimId)));
  }

  String open(UUID claimId, String sealed) {
    return new String(AesGcm.open(key, Base64.getDecoder().decode(sealed), context(claimId)), StandardCharsets.UTF_8);
  }

  private static byte[] context(UUID claimId) {
    return ("exchange.claim.member_id/" + claimId).getBytes(StandardCharsets.UTF_8);
  }
}
