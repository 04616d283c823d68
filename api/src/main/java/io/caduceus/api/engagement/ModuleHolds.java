package io.caduceus.api.engagement;

import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
import io.caduceus.api.flags.TenantModules;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.notifications.engage.TopicHolds;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The messages a module holds while a tenant has it off (issue 16), read from this node's {@link FeatureState}: no
 * I/O. Each topic a module's work makes belongs to it; appointments, account mail, follow-ups and staff alerts belong
 * to none. A result that is abnormal alerts its physician whatever the modules: a switch of the product never keeps a
 * clinical alert back. A held message waits queued, untouched, and goes out once the module is on again, unless its
 * own time has passed by then ({@code expiresAt}: a virtual visit's notices, a post-visit survey's week).
 */
public final class ModuleHolds implements TopicHolds {

  private static final Map<Topic, ProductModule> MODULE_OF = new EnumMap<>(Map.ofEntries(
      Map.entry(Topic.CAMPAIGN, ProductModule.CRM_CAMPAIGNS),
      Map.entry(Topic.PREVENTIVE_CARE, ProductModule.CRM_CAMPAIGNS),
      Map.entry(Topic.SURVEY, ProductModule.SURVEYS),
      Map.entry(Topic.MESSAGE_RECEIVED, ProductModule.SECURE_MESSAGES),
      Map.entry(Topic.REFILL_DUE, ProductModule.E_PRESCRIBING),
      Map.entry(Topic.PRESCRIPTION_READY, ProductModule.E_PRESCRIBING),
      Map.entry(Topic.LAB_RESULT_AVAILABLE, ProductModule.LAB_ORDERS),
      Map.entry(Topic.CLAIM_STATUS_CHANGED, ProductModule.BILLING),
      Map.entry(Topic.TELEHEALTH_STARTING, ProductModule.TELEHEALTH),
      Map.entry(Topic.TELEHEALTH_READY, ProductModule.TELEHEALTH)));

  private final FeatureState state;

  public ModuleHolds(FeatureState state) {
    this.state = state;
  }

  /** The module whose messages a topic's are, if any. */
  public static Optional<ProductModule> moduleOf(Topic topic) {
    return Optional.ofNullable(MODULE_OF.get(topic));
  }

  @Override
  public Set<Topic> held(UUID tenant) {
    TenantModules modules = state.snapshot().modules(tenant);
    if (modules.disallowed().isEmpty() && modules.disabled().isEmpty()) {
      return Set.of();
    }
    Set<Topic> held = EnumSet.noneOf(Topic.class);
    MODULE_OF.forEach((topic, module) -> {
      if (!modules.on(module)) {
        held.add(topic);
      }
    });
    return held;
  }
}
