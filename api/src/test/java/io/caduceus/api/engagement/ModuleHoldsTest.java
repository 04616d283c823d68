package io.caduceus.api.engagement;

import io.caduceus.api.flags.FeatureSnapshot;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
import io.caduceus.api.flags.TenantModules;
import io.caduceus.notifications.engage.Topic;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which messages a tenant's modules hold, read from the node's snapshot. */
class ModuleHoldsTest {

  private final UUID surveysOff = UUID.randomUUID();
  private final UUID billingNotInPlan = UUID.randomUUID();
  private final UUID allOff = UUID.randomUUID();
  private final ModuleHolds holds = new ModuleHolds(FeatureState.fixed(new FeatureSnapshot(Map.of(), Map.of(
      surveysOff, new TenantModules(Set.of(), Set.of(ProductModule.SURVEYS)),
      billingNotInPlan, new TenantModules(Set.of(ProductModule.BILLING), Set.of()),
      allOff, new TenantModules(Set.of(), EnumSet.allOf(ProductModule.class))))));

  @Test
  void aTenantWithEveryModuleOnHoldsNothing() {
    assertThat(holds.held(UUID.randomUUID())).isEmpty();
  }

  @Test
  void aModuleSwitchedOffOrLeftOutOfThePlanHoldsItsOwnTopicsOnly() {
    assertThat(holds.held(surveysOff)).containsExactly(Topic.SURVEY);
    assertThat(holds.held(billingNotInPlan)).containsExactly(Topic.CLAIM_STATUS_CHANGED);
  }

  @Test
  void appointmentsAccountMailAndClinicalAlertsAreNeverHeld() {
    assertThat(holds.held(allOff)).contains(Topic.CAMPAIGN, Topic.PREVENTIVE_CARE, Topic.MESSAGE_RECEIVED,
            Topic.REFILL_DUE, Topic.PRESCRIPTION_READY, Topic.LAB_RESULT_AVAILABLE, Topic.TELEHEALTH_READY)
        .doesNotContain(Topic.APPOINTMENT_BOOKED, Topic.APPOINTMENT_REMINDER, Topic.LAB_RESULT_ABNORMAL,
            Topic.ACCOUNT_INVITATION, Topic.PASSWORD_RESET, Topic.FOLLOW_UP, Topic.EMERGENCY_ACCESS_OPENED);
  }
}
