package io.caduceus.api.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The breaks a verification finds, in chain order, each merged into the range of its kind it continues. The first
 * {@link #LISTED} ranges are kept to show; all are counted.
 */
final class BrokenRanges {

  static final int LISTED = 1_000;

  private final List<ChainBreak> listed = new ArrayList<>();
  private final Map<ChainBreak.Kind, ChainBreak> latest = new EnumMap<>(ChainBreak.Kind.class);
  private final Map<ChainBreak.Kind, Integer> shownAt = new EnumMap<>(ChainBreak.Kind.class);
  private ChainBreak first;
  private long total;

  /** Records a break found after every break recorded so far. */
  void add(ChainBreak found) {
    if (first == null) {
      first = found;
    }
    ChainBreak last = latest.get(found.kind());
    if (last != null && last.continuedBy(found)) {
      ChainBreak merged = last.extendedBy(found);
      latest.put(found.kind(), merged);
      Integer at = shownAt.get(found.kind());
      if (at != null) {
        listed.set(at, merged);
      }
      return;
    }
    total++;
    latest.put(found.kind(), found);
    if (listed.size() < LISTED) {
      shownAt.put(found.kind(), listed.size());
      listed.add(found);
    } else {
      shownAt.remove(found.kind());
    }
  }

  /** The first break found (in chain order), or null. */
  ChainBreak first() {
    return first;
  }

  /** How many ranges were found. */
  long total() {
    return total;
  }

  /** The ranges kept to show, by first seal. */
  List<ChainBreak> listed() {
    List<ChainBreak> sorted = new ArrayList<>(listed);
    sorted.sort(Comparator.comparingLong(ChainBreak::fromSeal).thenComparing(ChainBreak::kind));
    return List.copyOf(sorted);
  }
}
