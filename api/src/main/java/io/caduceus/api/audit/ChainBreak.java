package io.caduceus.api.audit;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;

/**
 * One broken range of a chain: seals {@code fromSeal..toSeal} broken the same way, naming the first event
 * concerned (none for a break of the seals themselves) and how many events are.
 */
public record ChainBreak(Kind kind, long fromSeal, long toSeal, UUID eventId, long events) {

  /** How a range is broken. */
  public enum Kind {
    /** A sealed event's stored content no longer hashes to its link. */
    EVENT_ALTERED("event_altered"),
    /** A seal lists an event the trail no longer holds. */
    EVENT_MISSING("event_missing"),
    /** An event inside a sealed range that no seal lists: added after sealing, or skipped by the sealer. */
    EVENT_ADDED("event_added"),
    /** A seal lists an event outside its range that another seal lists too. */
    EVENT_SEALED_TWICE("event_sealed_twice"),
    /** A seal's links do not chain, its events are listed out of order, or it lists an event of another range. */
    SEAL_ALTERED("seal_altered"),
    /** Seal numbers are missing from the sequence. */
    SEAL_MISSING("seal_missing"),
    /** A repair record, or the seals it superseded, changed since the repair. */
    REPAIR_ALTERED("repair_altered");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The name in the contract. */
    public String wire() {
      return wire;
    }

    /**
     * The break as one of the four reasons {@code firstBrokenLink} has always had: a seal listing an event of
     * another range is missing that event from its own; anything wrong with seals or repairs is a seal altered.
     */
    String firstLinkReason() {
      return switch (this) {
        case EVENT_ALTERED, EVENT_MISSING, EVENT_ADDED -> wire;
        case EVENT_SEALED_TWICE -> EVENT_MISSING.wire;
        case SEAL_ALTERED, SEAL_MISSING, REPAIR_ALTERED -> SEAL_ALTERED.wire;
      };
    }

    static Kind fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** A break of one seal, about one event (or none). */
  static ChainBreak at(Kind kind, long seal, UUID eventId) {
    return new ChainBreak(kind, seal, seal, eventId, eventId == null ? 0 : 1);
  }

  /** Whether {@code next}, found later in the chain, continues this range. */
  boolean continuedBy(ChainBreak next) {
    return next.kind == kind && next.fromSeal <= toSeal + 1;
  }

  /** This range extended by {@code next}. */
  ChainBreak extendedBy(ChainBreak next) {
    return new ChainBreak(kind, fromSeal, Math.max(toSeal, next.toSeal), eventId == null ? next.eventId : eventId,
        events + next.events);
  }

  /** The contract's {@code AuditChainBreak}. */
  public JsonObject toJson() {
    return new JsonObject().put("reason", kind.wire()).put("fromSeal", fromSeal).put("toSeal", toSeal)
        .put("eventId", eventId == null ? null : eventId.toString()).put("events", events);
  }

  /** Reads {@link #toJson()} back (as a repair record keeps it). */
  static ChainBreak fromJson(JsonObject json) {
    String event = json.getString("eventId");
    return new ChainBreak(Kind.fromWire(json.getString("reason")), json.getLong("fromSeal"), json.getLong("toSeal"),
        event == null ? null : UUID.fromString(event), json.getLong("events"));
  }
}
