package io.caduceus.api.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The verdict of recomputing a tenant's chain: what was checked, every broken range found ({@code breaks} shows the
 * first {@link BrokenRanges#LISTED} of {@code brokenRanges}), and the repairs the chain went through.
 * {@code repairFrom} is where a repair may re-seal from (null when intact, or when the first break is one a repair
 * must not re-seal over); it stays inside the server.
 */
public record AuditVerification(long sealedEvents, long seals, long unsealedEvents, List<ChainBreak> breaks,
                                long brokenRanges, List<AuditRepair> repairs, ChainBreak firstBreak,
                                ChainPoint repairFrom) {

  /** Whether no range is broken (repaired ones are history, not breaks). */
  public boolean intact() {
    return brokenRanges == 0;
  }

  /** The contract's {@code AuditVerification}. */
  public JsonObject toJson() {
    JsonArray listed = new JsonArray();
    breaks.forEach(b -> listed.add(b.toJson()));
    JsonArray repaired = new JsonArray();
    repairs.forEach(r -> repaired.add(r.toJson()));
    JsonObject json = new JsonObject()
        .put("intact", intact())
        .put("sealedEvents", sealedEvents)
        .put("seals", seals)
        .put("unsealedEvents", unsealedEvents)
        .put("brokenRanges", brokenRanges)
        .put("brokenLinks", listed)
        .put("repairs", repaired);
    if (!intact()) {
      json.put("firstBrokenLink", new JsonObject()
          .put("seal", firstBreak.fromSeal())
          .put("eventId", firstBreak.eventId() == null ? null : firstBreak.eventId().toString())
          .put("reason", firstBreak.kind().firstLinkReason()));
    }
    return json;
  }
}
