package io.caduceus.api.audit;

import java.time.Instant;
import java.util.UUID;

/** The filters of an audit listing. */
public record AuditQuery(UUID patientId, UUID actorUserId, String action, Instant from, Instant to, int limit) {

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return patientId + "|" + actorUserId + "|" + action + "|" + from + "|" + to;
  }
}
