package io.caduceus.api.billing;

import io.caduceus.api.error.Invalid;

import java.util.Locale;

/** Where a claim stands: submitted, adjudicated (approved in whole or part), paid in full, or denied. */
enum ClaimStatus {
  SUBMITTED, ADJUDICATED, PAID, DENIED;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ClaimStatus fromWire(String wire) {
    for (ClaimStatus s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    throw new Invalid("/status", "not a claim status");
  }
}
