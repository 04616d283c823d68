package io.caduceus.api.flags;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How a flag's variant is decided: precedence of scopes and roles, the kill switch, and percentage rollouts. */
class FlagEvaluatorTest {

  private static final UUID RIVERSIDE = UUID.randomUUID();
  private static final UUID OTHER = UUID.randomUUID();
  private static final UUID ALICE = UUID.randomUUID();

  private static FlagDefinition flag(String kill, List<FlagRule> rules) {
    return new FlagDefinition("telehealth", "string", new JsonObject().put("off", "off").put("global", "g")
        .put("region", "r").put("kind", "k").put("tenant", "t").put("user", "u").put("role", "role"), "off", "me",
        "test", LocalDate.now().plusDays(30), true, kill, kill == null ? null : Instant.now(), null, Instant.now(), 1,
        rules);
  }

  private static FlagRule rule(FlagRule.Scope scope, String value, UUID tenant, String role, String variant,
                               Double percentage) {
    return new FlagRule(UUID.randomUUID(), scope, value, tenant, role, variant,
        percentage == null ? null : BigDecimal.valueOf(percentage));
  }

  private static FlagTarget alice(Set<String> roles) {
    return new FlagTarget("us", RIVERSIDE, "clinic", roles, ALICE, ALICE.toString());
  }

  private static final List<FlagRule> EVERY_SCOPE = List.of(
      rule(FlagRule.Scope.GLOBAL, "", null, "", "global", null),
      rule(FlagRule.Scope.REGION, "us", null, "", "region", null),
      rule(FlagRule.Scope.TENANT_KIND, "clinic", null, "", "kind", null),
      rule(FlagRule.Scope.TENANT, "", RIVERSIDE, "", "tenant", null),
      rule(FlagRule.Scope.USER, ALICE.toString(), RIVERSIDE, "", "user", null));

  @Test
  void theMostSpecificMatchingScopeWinsAtEveryLevel() {
    // Drop the most specific rule one at a time: the next one down decides.
    List<String> expected = List.of("user", "tenant", "kind", "region", "global", "off");
    for (int kept = EVERY_SCOPE.size(); kept >= 0; kept--) {
      FlagDefinition f = flag(null, new ArrayList<>(EVERY_SCOPE.subList(0, kept)));
      assertThat(FlagEvaluator.evaluate(f, alice(Set.of())).variant())
          .as("with the %d least specific rules", kept).isEqualTo(expected.get(EVERY_SCOPE.size() - kept));
    }
  }

  @Test
  void aRuleMatchesOnlyItsOwnRegionKindTenantAndUser() {
    FlagDefinition f = flag(null, EVERY_SCOPE);
    assertThat(FlagEvaluator.evaluate(f, new FlagTarget("eu", OTHER, "lab", Set.of(), UUID.randomUUID(), "x"))
        .variant()).isEqualTo("global");
    assertThat(FlagEvaluator.evaluate(f, new FlagTarget("us", OTHER, "lab", Set.of(), UUID.randomUUID(), "x"))
        .variant()).isEqualTo("region");
    assertThat(FlagEvaluator.evaluate(f, new FlagTarget("eu", OTHER, "clinic", Set.of(), ALICE, "x"))
        .variant()).as("a user rule belongs to its tenant").isEqualTo("kind");
  }

  @Test
  void aRoleRuleWinsWithinItsScopeAndOnlyForHoldersOfTheRole() {
    List<FlagRule> rules = new ArrayList<>(EVERY_SCOPE.subList(0, 4));
    rules.add(rule(FlagRule.Scope.TENANT, "", RIVERSIDE, "physician", "role", null));
    FlagDefinition f = flag(null, rules);
    assertThat(FlagEvaluator.evaluate(f, alice(Set.of("physician"))).variant()).isEqualTo("role");
    assertThat(FlagEvaluator.evaluate(f, alice(Set.of("nurse"))).variant()).isEqualTo("tenant");
  }

  @Test
  void theKillSwitchWinsOverEveryRule() {
    FlagEvaluator.Decision d = FlagEvaluator.evaluate(flag("off", EVERY_SCOPE), alice(Set.of()));
    assertThat(d.variant()).isEqualTo("off");
    assertThat(d.reason()).isEqualTo(FlagEvaluator.KILL_SWITCH);
  }

  @Test
  void aRolloutReachesItsPercentageOfTenThousandUsersWithinTwoPoints() {
    for (double percentage : new double[] {1, 10, 25, 50, 90}) {
      FlagDefinition f = flag(null, List.of(rule(FlagRule.Scope.TENANT, "", RIVERSIDE, "", "tenant", percentage)));
      int on = 0;
      for (int i = 0; i < 10_000; i++) {
        UUID user = UUID.randomUUID();
        if ("tenant".equals(FlagEvaluator.evaluate(f,
            new FlagTarget("us", RIVERSIDE, "clinic", Set.of(), user, user.toString())).variant())) {
          on++;
        }
      }
      assertThat(on / 100.0).as("percent on at %s %%", percentage).isBetween(percentage - 2, percentage + 2);
    }
  }

  @Test
  void aUserKeepsTheirVariantAsTheRolloutGrows() {
    List<UUID> users = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      users.add(UUID.randomUUID());
    }
    Set<UUID> onBefore = new HashSet<>();
    for (double percentage = 5; percentage <= 100; percentage += 5) {
      FlagDefinition f = flag(null, List.of(rule(FlagRule.Scope.GLOBAL, "", null, "", "global", percentage)));
      Set<UUID> on = new HashSet<>();
      for (UUID u : users) {
        if ("global".equals(FlagEvaluator.evaluate(f, new FlagTarget(null, null, null, Set.of(), u, u.toString()))
            .variant())) {
          on.add(u);
        }
      }
      assertThat(on).as("everyone on at the last step is still on at %s %%", percentage).containsAll(onBefore);
      onBefore = on;
    }
    assertThat(onBefore).hasSize(users.size());
  }

  @Test
  void theBucketIsStableAndDependsOnTheFlag() {
    assertThat(FlagEvaluator.bucket("a", "user-1")).isEqualTo(FlagEvaluator.bucket("a", "user-1"))
        .isBetween(0, 9_999);
    int differing = 0;
    for (int i = 0; i < 100; i++) {
      if (FlagEvaluator.bucket("a", "u" + i) != FlagEvaluator.bucket("b", "u" + i)) {
        differing++;
      }
    }
    assertThat(differing).as("two flags do not roll out to the same users").isGreaterThan(90);
  }

  @Test
  void aFlagIsUniformOnlyWhenEveryTargetGetsOneVariant() {
    assertThat(flag(null, List.of()).uniformVariant()).isEqualTo("off");
    assertThat(flag(null, List.of(rule(FlagRule.Scope.GLOBAL, "", null, "", "global", 100.0))).uniformVariant())
        .isEqualTo("global");
    assertThat(flag(null, List.of(rule(FlagRule.Scope.GLOBAL, "", null, "", "global", 50.0))).uniformVariant())
        .isNull();
    assertThat(flag(null, List.of(rule(FlagRule.Scope.TENANT, "", RIVERSIDE, "", "tenant", null))).uniformVariant())
        .isNull();
    assertThat(flag("off", EVERY_SCOPE).uniformVariant()).isEqualTo("off");
  }
}
