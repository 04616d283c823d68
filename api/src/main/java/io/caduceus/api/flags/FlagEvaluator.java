package io.caduceus.api.flags;

/**
 * Decides a flag's variant for a target, without I/O: the kill switch wins over everything; otherwise the most
 * specific matching rule (user, then tenant, tenant kind, region, global; a role's rule before everyone's) serves its
 * variant, to a rollout's share of targets only; everything else gets the flag's default variant.
 *
 * <p>A rollout puts a target in when {@link #bucket} of the flag key and targeting key is below percentage × 100:
 * the bucket never changes, so a target that is in stays in as the percentage grows.
 */
public final class FlagEvaluator {

  /** Reasons beyond OpenFeature's standard ones. */
  public static final String KILL_SWITCH = "KILL_SWITCH";

  private FlagEvaluator() {
  }

  /** The variant the target gets and why. */
  public record Decision(String variant, String reason) {
  }

  /** The flag's variant for the target. */
  public static Decision evaluate(FlagDefinition flag, FlagTarget target) {
    if (flag.killVariant() != null) {
      return new Decision(flag.killVariant(), KILL_SWITCH);
    }
    for (FlagRule rule : flag.rules()) {
      if (target.matches(rule)) {
        if (rule.servesAll()) {
          return new Decision(rule.variant(), "TARGETING_MATCH");
        }
        boolean in = target.targetingKey() != null && bucket(flag.key(), target.targetingKey()) < rule.threshold();
        return new Decision(in ? rule.variant() : flag.defaultVariant(), "SPLIT");
      }
    }
    return new Decision(flag.defaultVariant(), "DEFAULT");
  }

  /** A stable bucket in [0, 10,000) for a flag and a targeting key: 64-bit FNV-1a, then a finaliser to spread it. */
  public static int bucket(String flagKey, String targetingKey) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, flagKey);
    h = (h ^ ':') * 0x100000001b3L;
    h = mix(h, targetingKey);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, 10_000);
  }

  private static long mix(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
