package io.caduceus.api.lab;

import java.util.Map;
import java.util.Set;

/**
 * Where a lab order is. The clinic's copy starts {@code sent}; the lab's copy starts {@code received} (and tells
 * the clinic so); the lab moves it through specimen collection and analysis to {@code resulted}. Either copy can
 * be {@code cancelled} until it is resulted.
 */
public enum LabOrderStatus {
  SENT, RECEIVED, SPECIMEN_COLLECTED, IN_PROGRESS, RESULTED, CANCELLED;

  private static final Map<LabOrderStatus, Set<LabOrderStatus>> LAB_MOVES = Map.of(
      RECEIVED, Set.of(SPECIMEN_COLLECTED),
      SPECIMEN_COLLECTED, Set.of(IN_PROGRESS),
      IN_PROGRESS, Set.of());

  /** The lower-case name used in the contract and the database. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the wire name. */
  public static LabOrderStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** Whether the lab may move its copy from this status to {@code next} by a status change (not by resulting). */
  public boolean labMayMoveTo(LabOrderStatus next) {
    return LAB_MOVES.getOrDefault(this, Set.of()).contains(next);
  }

  /** Whether results may be entered now (the specimen is in the lab). */
  public boolean awaitsResults() {
    return this == SPECIMEN_COLLECTED || this == IN_PROGRESS;
  }

  /** Whether the order is finished, one way or the other. */
  public boolean closed() {
    return this == RESULTED || this == CANCELLED;
  }
}
