package io.caduceus.api.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The flags due for retirement: past their expiry date, or serving one variant to everyone (a rollout at 100 %
 * everywhere, a kill switch left on) for {@link #UNIFORM_FOR} or more. The platform owner's report lists them, and
 * each node logs one warning line a day naming them ({@link #warnIfDue}, which the maintenance loop calls often).
 */
public final class StaleFlags {

  /** How long a flag may serve one variant to everyone before it counts as stale. */
  public static final Duration UNIFORM_FOR = Duration.ofDays(30);
  private static final Logger LOG = LoggerFactory.getLogger(StaleFlags.class);

  private final FeatureState state;
  private final Clock clock;
  private final AtomicReference<LocalDate> warnedOn = new AtomicReference<>();

  public StaleFlags(FeatureState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  /** One stale flag and why. */
  public record Stale(FlagDefinition flag, List<String> reasons) {

    /** As the report shows it. */
    public JsonObject json() {
      return new JsonObject().put("key", flag.key()).put("owner", flag.owner())
          .put("expiresOn", flag.expiresOn().toString()).put("reasons", new JsonArray(reasons));
    }
  }

  /** The stale flags now, by key. */
  public List<Stale> now() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<Stale> stale = new ArrayList<>();
    for (FlagDefinition flag : state.snapshot().flags().values()) {
      List<String> reasons = new ArrayList<>();
      if (flag.expiresOn().isBefore(today)) {
        reasons.add("expired on " + flag.expiresOn());
      }
      if (flag.uniformSince() != null && !flag.uniformSince().plus(UNIFORM_FOR).isAfter(now)) {
        reasons.add("has served variant " + flag.uniformVariant() + " to everyone since " + flag.uniformSince());
      }
      if (!reasons.isEmpty()) {
        stale.add(new Stale(flag, List.copyOf(reasons)));
      }
    }
    stale.sort(Comparator.comparing(s -> s.flag().key()));
    return stale;
  }

  /** The report as the API shows it. */
  public JsonObject report() {
    return new JsonObject().put("asOf", clock.instant().toString())
        .put("flags", new JsonArray(now().stream().map(Stale::json).toList()));
  }

  /**
   * Logs one warning naming the stale flags, at most once per UTC day on this node; true if it logged. Called every
   * maintenance tick: the day's first call logs, the rest return at once.
   */
  public boolean warnIfDue() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate last = warnedOn.get();
    if (today.equals(last) || !warnedOn.compareAndSet(last, today)) {
      return false;
    }
    List<Stale> stale = now();
    if (stale.isEmpty()) {
      return false;
    }
    LOG.warn("stale feature flags, retire them: {}", stale.stream().map(s -> s.flag().key()).toList());
    return true;
  }
}
