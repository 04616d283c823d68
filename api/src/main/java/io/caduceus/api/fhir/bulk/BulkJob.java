package io.caduceus.api.fhir.bulk;

import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One export job as stored: who asked and with which authority ({@code actor}, the requester's TenantContext data),
 * what they asked for, and how far it got.
 */
record BulkJob(UUID id, UUID ownerId, String level, UUID groupId, List<String> types, Instant since,
               String requestUrl, JsonObject actor, String state, String progress, int attempt,
               Instant transactionTime, Instant heartbeatAt, Instant expiresAt) {

  static BulkJob fromRow(Row row) {
    String[] types = row.getArrayOfStrings("types");
    return new BulkJob(row.getUUID("id"), row.getUUID("owner_id"), row.getString("level"), row.getUUID("group_id"),
        types == null ? List.of() : Arrays.asList(types), instant(row, "since"), row.getString("request_url"),
        row.getJsonObject("actor"), row.getString("state"), row.getString("progress"), row.getInteger("attempt"),
        instant(row, "transaction_time"), instant(row, "heartbeat_at"), instant(row, "expires_at"));
  }

  private static Instant instant(Row row, String column) {
    var value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  /** Whether the job has finished (its manifest can be read). */
  boolean completed() {
    return "completed".equals(state);
  }

  /**
   * The requester's authority, kept so that the job can run, or run again after a restart, as they would: with the
   * job's own id as its session when the requester asked in one, to which the kick-off pins their session's active
   * group ({@code GroupsInForce.pin}), so a switchable member's export sees the group they worked in.
   */
  static JsonObject actorOf(TenantContext ctx, UUID jobId) {
    return new JsonObject().put("userId", ctx.userId().toString()).put("roles", new JsonArray(List.copyOf(ctx.roles())))
        .put("permissions", new JsonArray(List.copyOf(ctx.permissions())))
        .put("patientId", ctx.patientId().map(UUID::toString).orElse(null))
        .put("sessionId", ctx.sessionId() == null ? null : jobId.toString())
        .put("tier", ctx.tier().name()).put("region", ctx.region());
  }

  /**
   * The context the job runs in: the requester's, outside any request (the kick-off was audited), in the job's
   * stand-in session when it has one.
   */
  TenantContext context(TenantId tenant) {
    return new TenantContext(tenant, actor.getString("region"), IsolationTier.valueOf(actor.getString("tier")),
        UUID.fromString(actor.getString("userId")), strings(actor.getJsonArray("roles")),
        strings(actor.getJsonArray("permissions")),
        Optional.ofNullable(actor.getString("patientId")).map(UUID::fromString), "bulk-export:" + id, "internal",
        null).withSession(Optional.ofNullable(actor.getString("sessionId")).map(UUID::fromString).orElse(null));
  }

  private static Set<String> strings(JsonArray array) {
    Set<String> out = new HashSet<>();
    array.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }
}
