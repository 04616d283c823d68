package io.caduceus.api.exchange;

import io.caduceus.api.partner.PartnerScope;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * One cross-tenant message as it travels in the sender's outbox: which link it crosses, from and to whom, what
 * kind of item it carries (for example {@code lab_order.placed}) and the minimum document the receiver needs.
 */
public record ExchangeEnvelope(UUID linkId, PartnerScope scope, TenantId from, TenantId to, String kind,
                               JsonObject document) {

  /** The outbox topic family every exchange message shares. */
  public static final String TOPIC_FAMILY = "exchange";

  /** The PostgreSQL notification channel announcing committed exchange messages. */
  public static final String CHANNEL = ExchangeSql.CHANNEL;

  /** The outbox topic of this envelope. */
  public String topic() {
    return TOPIC_FAMILY + "." + kind;
  }

  /** The outbox payload. */
  public JsonObject toJson() {
    return new JsonObject().put("linkId", linkId.toString()).put("scope", scope.wire())
        .put("from", from.toString()).put("to", to.toString()).put("kind", kind).put("document", document);
  }

  /** Reads an outbox payload written by {@link #toJson}. */
  public static ExchangeEnvelope fromJson(JsonObject json) {
    return new ExchangeEnvelope(UUID.fromString(json.getString("linkId")), PartnerScope.fromWire(json.getString("scope")),
        TenantId.parse(json.getString("from")), TenantId.parse(json.getString("to")), json.getString("kind"),
        json.getJsonObject("document"));
  }
}
