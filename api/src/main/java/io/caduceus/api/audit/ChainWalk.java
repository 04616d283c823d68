package io.caduceus.api.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.api.audit.ChainBreak.Kind.EVENT_ADDED;
import static io.caduceus.api.audit.ChainBreak.Kind.EVENT_ALTERED;
import static io.caduceus.api.audit.ChainBreak.Kind.EVENT_MISSING;
import static io.caduceus.api.audit.ChainBreak.Kind.EVENT_SEALED_TWICE;
import static io.caduceus.api.audit.ChainBreak.Kind.REPAIR_ALTERED;
import static io.caduceus.api.audit.ChainBreak.Kind.SEAL_ALTERED;
import static io.caduceus.api.audit.ChainBreak.Kind.SEAL_MISSING;

/**
 * One pass over a tenant's chain, seal after seal in sequence: where the chain stands, what was checked, and every
 * broken range found. After a break it resynchronises on what is stored (each event is checked against the link
 * its seal recorded before it, each seal goes on from its own stored link), so one break never hides the next.
 * A seal that a repair superseded is not checked again: it only feeds that repair's evidence digest, and the chain
 * goes on from the repair.
 */
final class ChainWalk {

  /** What one seal left to settle with the rest of the trail: listed events outside its range, unlisted ones in it. */
  record SealCheck(List<Integer> outside, List<UUID> unlisted) {

    /** Whether nothing is left to look up. */
    boolean settled() {
      return outside.isEmpty() && unlisted.isEmpty();
    }
  }

  /** An event looked up by id: as stored (null when gone), and the seals that list it. */
  record Lookup(AuditRecord record, List<Long> listedIn) {
  }

  private final List<AuditRepair> repairs;
  private final long repairedTo;
  private final BrokenRanges breaks = new BrokenRanges();
  private int nextRepair;
  private AuditRepair superseding;
  private SealDigest evidence;
  private ChainPoint at = ChainPoint.GENESIS;
  private ChainPoint beforeSeal = at;
  private ChainPoint repairFrom;
  private long lastSeq;
  private long seals;
  private long sealedEvents;

  ChainWalk(List<AuditRepair> repairs) {
    this.repairs = List.copyOf(repairs);
    this.repairedTo = repairs.stream().mapToLong(AuditRepair::lastSeal).max().orElse(0);
  }

  /** The last seal taken, superseded or not. */
  long lastSeq() {
    return lastSeq;
  }

  /** Where the chain stands: the next seal's range starts after {@code at().txid(), at().eventId()}. */
  ChainPoint at() {
    return at;
  }

  /** Takes the next stored seal; false when a repair superseded it (it then only counts as that repair's evidence). */
  boolean admit(StoredSeal seal) {
    lastSeq = seal.seq();
    if (superseding != null && seal.seq() > superseding.lastSeal()) {
      close();
    }
    while (superseding == null && nextRepair < repairs.size() && repairs.get(nextRepair).firstSeal() <= seal.seq()) {
      open(repairs.get(nextRepair++));
      if (seal.seq() > superseding.lastSeal()) {
        close();
      }
    }
    if (superseding != null) {
      evidence.add(seal);
      return false;
    }
    beforeSeal = at;
    if (seal.seq() > at.seq() + 1) {
      report(new ChainBreak(SEAL_MISSING, at.seq() + 1, seal.seq() - 1, null, 0));
    }
    if (!Arrays.equals(seal.prevHash(), at.link())) {
      report(ChainBreak.at(SEAL_ALTERED, seal.seq(), null));
    }
    return true;
  }

  /**
   * Checks what the seal lists against the events of its range (in chain order): each listed event in the range
   * against its recorded link, the listing's order, and the seal's last link. Returns what is left to settle.
   */
  SealCheck check(StoredSeal seal, List<AuditRecord> range) {
    Map<UUID, Integer> position = new HashMap<>();
    for (int i = 0; i < range.size(); i++) {
      position.put(range.get(i).id(), i);
    }
    UUID[] ids = seal.eventIds();
    boolean hashed = ids.length > 0 && ids.length == seal.eventHashes().length;
    if (!hashed) {
      report(ChainBreak.at(SEAL_ALTERED, seal.seq(), null));
    }
    Set<UUID> listed = new HashSet<>();
    List<Integer> outside = new ArrayList<>();
    UUID misordered = null;
    int last = -1;
    for (int i = 0; i < ids.length; i++) {
      Integer p = position.get(ids[i]);
      if (!listed.add(ids[i])) {
        report(ChainBreak.at(EVENT_SEALED_TWICE, seal.seq(), ids[i]));
      } else if (p == null) {
        outside.add(i);
      } else {
        misordered = misordered == null && p < last ? ids[i] : misordered;
        last = Math.max(last, p);
        if (hashed && !hashesAsSealed(seal, i, range.get(p))) {
          report(ChainBreak.at(EVENT_ALTERED, seal.seq(), ids[i]));
        }
      }
    }
    if (misordered != null) {
      report(ChainBreak.at(SEAL_ALTERED, seal.seq(), misordered));
    }
    if (hashed && !Arrays.equals(seal.eventHashes()[ids.length - 1], seal.sealHash())) {
      report(ChainBreak.at(SEAL_ALTERED, seal.seq(), null));
    }
    List<UUID> unlisted = range.stream().map(AuditRecord::id).filter(id -> !listed.contains(id)).toList();
    return new SealCheck(outside, unlisted);
  }

  /** The ids {@code check} needs looked up. */
  static UUID[] asked(StoredSeal seal, SealCheck check) {
    List<UUID> ids = new ArrayList<>(check.unlisted());
    check.outside().forEach(i -> ids.add(seal.eventIds()[i]));
    return ids.toArray(new UUID[0]);
  }

  /**
   * Settles what {@code check} left, given each event as stored and the seals listing it. A listed event outside the
   * range is gone, sealed twice, altered (it no longer hashes to its link) or, unaltered, listed by the wrong seal.
   * An unlisted event of the range that no other seal lists was added, or skipped by the sealer.
   */
  void classify(StoredSeal seal, SealCheck check, Map<UUID, Lookup> found) {
    for (int i : check.outside()) {
      UUID id = seal.eventIds()[i];
      Lookup l = found.get(id);
      if (l == null || l.record() == null) {
        report(ChainBreak.at(EVENT_MISSING, seal.seq(), id));
      } else if (listedElsewhere(l, seal.seq())) {
        report(ChainBreak.at(EVENT_SEALED_TWICE, seal.seq(), id));
      } else if (i < seal.eventHashes().length && !hashesAsSealed(seal, i, l.record())) {
        report(ChainBreak.at(EVENT_ALTERED, seal.seq(), id));
      } else {
        report(ChainBreak.at(SEAL_ALTERED, seal.seq(), id));
      }
    }
    for (UUID id : check.unlisted()) {
      Lookup l = found.get(id);
      if (l == null || !listedElsewhere(l, seal.seq())) {
        report(ChainBreak.at(EVENT_ADDED, seal.seq(), id));
      }
    }
  }

  /** Ends the seal: the chain goes on from its stored link and the last event of its range. */
  void end(StoredSeal seal, int rangeEvents) {
    at = new ChainPoint(seal.seq(), seal.sealHash(), seal.lastTxid(), seal.lastEventId());
    seals++;
    sealedEvents += rangeEvents;
  }

  /** Ends the walk after the last seal: the repair under way, and any whose seals are gone, are settled. */
  void finish() {
    if (superseding != null) {
      close();
    }
    while (nextRepair < repairs.size()) {
      open(repairs.get(nextRepair++));
      close();
    }
  }

  /** The verdict, given how many events follow the chain's last link. */
  AuditVerification verdict(long unsealed) {
    return new AuditVerification(sealedEvents, seals, unsealed, breaks.listed(), breaks.total(), repairs,
        breaks.first(), repairFrom);
  }

  private void open(AuditRepair repair) {
    beforeSeal = at;
    if (repair.firstSeal() > at.seq() + 1) {
      report(new ChainBreak(SEAL_MISSING, at.seq() + 1, repair.firstSeal() - 1, null, 0));
    }
    if (!repair.anchoredAt(at) || !Arrays.equals(AuditChain.repairLink(repair), repair.repairHash())) {
      report(ChainBreak.at(REPAIR_ALTERED, repair.firstSeal(), null));
    }
    superseding = repair;
    evidence = new SealDigest();
  }

  private void close() {
    if (!Arrays.equals(evidence.value(), superseding.supersededDigest())) {
      report(new ChainBreak(REPAIR_ALTERED, superseding.firstSeal(), superseding.lastSeal(), null, 0));
    }
    at = new ChainPoint(superseding.lastSeal(), superseding.repairHash(), superseding.anchorTxid(),
        superseding.anchorEventId());
    superseding = null;
  }

  /**
   * Whether the event still hashes to the link its seal recorded for it, chained from the link recorded before it.
   * The first event may also chain from the chain's own link: when a seal's {@code prev_hash} was altered, its
   * first event is not.
   */
  private boolean hashesAsSealed(StoredSeal seal, int i, AuditRecord event) {
    byte[] recorded = seal.eventHashes()[i];
    return Arrays.equals(AuditChain.link(seal.linkBefore(i), event), recorded)
        || i == 0 && Arrays.equals(AuditChain.link(at.link(), event), recorded);
  }

  private boolean listedElsewhere(Lookup lookup, long seq) {
    return lookup.listedIn().stream().anyMatch(s -> s != seq && repairs.stream().noneMatch(r -> r.supersedes(s)));
  }

  /**
   * Records a break. The first one also fixes where a repair may re-seal from (the chain as it stood before the
   * broken seal), unless it lies in a repair or before the last one: re-sealing over those would launder evidence
   * an earlier repair relied on.
   */
  private void report(ChainBreak found) {
    if (breaks.first() == null && found.kind() != REPAIR_ALTERED && found.fromSeal() > repairedTo) {
      repairFrom = beforeSeal;
    }
    breaks.add(found);
  }
}
