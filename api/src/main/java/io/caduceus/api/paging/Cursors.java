package io.caduceus.api.paging;

import io.caduceus.api.error.Invalid;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.AesGcm;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.keys.SealBrokenException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque pagination cursors. A cursor is the position after the last item of a page, encrypted and
 * authenticated (AES-GCM) with the tenant, the listing and its filters as associated data. So a cursor never
 * shows a sort key (which may be a name) in a URL, cannot be forged, and is refused by any other tenant or query.
 */
public final class Cursors {

  private final SecretKey key;

  public Cursors(MasterKey master) {
    this.key = master.derive("pagination-cursor");
  }

  /** Seals a position for the given listing and filters. */
  public String seal(TenantContext ctx, String listing, String filters, JsonObject position) {
    byte[] sealed = AesGcm.seal(key, position.toBuffer().getBytes(), aad(ctx, listing, filters));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
  }

  /** Opens a cursor, failing with 400 when it was not sealed for this tenant, listing and filters. */
  public JsonObject open(TenantContext ctx, String listing, String filters, String cursor) {
    try {
      byte[] sealed = Base64.getUrlDecoder().decode(cursor);
      return new JsonObject(Buffer.buffer(AesGcm.open(key, sealed, aad(ctx, listing, filters))));
    } catch (IllegalArgumentException | SealBrokenException | DecodeException e) {
      throw new Invalid("cursor", "not a cursor of this listing; start again without it");
    }
  }

  /** Seals the position after an item at {@code at} with {@code id}, in a listing ordered by time and then id. */
  public String seal(TenantContext ctx, String listing, String filters, Instant at, UUID id) {
    return seal(ctx, listing, filters, new JsonObject().put("at", at.toString()).put("id", id.toString()));
  }

  /** Opens the cursor of a listing ordered by time and then id; without a cursor, the first page. */
  public Position after(TenantContext ctx, String listing, String filters, String cursor) {
    if (cursor == null) {
      return Position.START;
    }
    JsonObject position = open(ctx, listing, filters, cursor);
    return new Position(Instant.parse(position.getString("at")), UUID.fromString(position.getString("id")));
  }

  private static byte[] aad(TenantContext ctx, String listing, String filters) {
    return (ctx.tenantId() + "|" + listing + "|" + filters).getBytes(StandardCharsets.UTF_8);
  }
}
