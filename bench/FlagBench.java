import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import io.caduceus.api.flags.ControlPlaneProvider;
import io.caduceus.api.flags.FeatureSnapshot;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.FlagContexts;
import io.caduceus.api.flags.FlagDefinition;
import io.caduceus.api.flags.FlagRule;
import io.caduceus.api.flags.Flags;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one flag evaluation costs on the request path: the OpenFeature client over Caduceus's control-plane provider,
 * on an in-memory snapshot of 50 flags, each with rules at every scope (a global rule, a region rule, a tenant-kind
 * rule, a 10 % rollout to a tenant's physicians, 20 user rules), evaluated for 1,000 users of 10 tenants in turn.
 * After a warm-up it measures ROUNDS rounds and prints ns per evaluation (median and each round) and the cost of 50
 * evaluations, what {@code GET /v1/me/features} pays on a node with 50 flags ({@code bench/flags.sh}).
 *
 * <p>{@code java -cp api/target/caduceus.jar bench/FlagBench.java [ROUNDS] [EVALUATIONS_PER_ROUND]}
 */
public final class FlagBench {

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tenants.add(UUID.randomUUID().toString());
    }
    Map<String, FlagDefinition> flags = new HashMap<>();
    for (int f = 0; f < 50; f++) {
      String key = "bench.flag-" + f;
      List<FlagRule> rules = new ArrayList<>();
      rules.add(new FlagRule(UUID.randomUUID(), FlagRule.Scope.GLOBAL, "", null, "", "off", null));
      rules.add(new FlagRule(UUID.randomUUID(), FlagRule.Scope.REGION, "us", null, "", "off", null));
      rules.add(new FlagRule(UUID.randomUUID(), FlagRule.Scope.TENANT_KIND, "clinic", null, "", "off", null));
      rules.add(new FlagRule(UUID.randomUUID(), FlagRule.Scope.TENANT, "", UUID.fromString(tenants.get(f % 10)),
          "physician", "on", BigDecimal.TEN));
      for (int u = 0; u < 20; u++) {
        rules.add(new FlagRule(UUID.randomUUID(), FlagRule.Scope.USER, UUID.randomUUID().toString(),
            UUID.fromString(tenants.get(u % 10)), "", "on", null));
      }
      flags.put(key, new FlagDefinition(key, "boolean", new JsonObject().put("on", true).put("off", false), "off",
          "bench", "bench", LocalDate.now().plusDays(30), false, null, null, null, Instant.now(), 1, rules));
    }
    ControlPlaneProvider provider = new ControlPlaneProvider(FeatureState.fixed(new FeatureSnapshot(flags, Map.of())));
    Client client = new Flags(provider).client();
    ImmutableContext[] contexts = new ImmutableContext[1_000];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] = FlagContexts.user("us", tenants.get(i % 10), "clinic", List.of("physician"),
          UUID.randomUUID().toString());
    }
    String[] keys = flags.keySet().toArray(String[]::new);
    long sink = 0;
    sink += run(client, keys, contexts, perRound * 2L);
    double[] ns = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      sink += run(client, keys, contexts, perRound);
      ns[r] = (System.nanoTime() - start) / (double) perRound;
    }
    double[] sorted = ns.clone();
    Arrays.sort(sorted);
    double median = sorted[rounds / 2];
    System.out.printf("flag evaluation through OpenFeature: median %.0f ns (rounds %s); 50 flags per request: %.1f us"
        + " (on %d)%n", median, Arrays.toString(Arrays.stream(ns).mapToLong(Math::round).toArray()),
        median * 50 / 1000, sink % 2);
    // The provider alone, for the split: what Caduceus's own resolution costs, and so what the SDK adds around it.
    double[] own = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (long i = 0; i < perRound; i++) {
        sink += provider.getBooleanEvaluation(keys[(int) (i % keys.length)], false,
            contexts[(int) ((i / 7) % contexts.length)]).getValue() ? 1 : 0;
      }
      own[r] = (System.nanoTime() - start) / (double) perRound;
    }
    Arrays.sort(own);
    System.out.printf("the provider alone (no SDK around it): median %.0f ns (%d)%n", own[rounds / 2], sink % 2);
    System.exit(0);
  }

  private static long run(Client client, String[] keys, ImmutableContext[] contexts, long evaluations) {
    long on = 0;
    for (long i = 0; i < evaluations; i++) {
      if (client.getBooleanValue(keys[(int) (i % keys.length)], false, contexts[(int) ((i / 7) % contexts.length)])) {
        on++;
      }
    }
    return on;
  }
}
