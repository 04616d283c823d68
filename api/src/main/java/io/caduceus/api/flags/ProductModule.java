package io.caduceus.api.flags;

import java.util.Arrays;
import java.util.Optional;

/**
 * The modules a tenant can have switched on or off. The contract marks each operation of one with
 * {@code x-caduceus-module: <wire name>}; their background work asks {@link FeatureState#moduleOn} too, and the
 * messages they made wait while they are off ({@code engagement.ModuleHolds}).
 * {@code analytics} is reserved: nothing is gated by it yet.
 */
public enum ProductModule {
  E_PRESCRIBING, LAB_ORDERS, BILLING, CRM_CAMPAIGNS, SURVEYS, SECURE_MESSAGES, TELEHEALTH, ANALYTICS;

  private final String wire = name().toLowerCase();

  /** The name in the contract, the API and the control plane. */
  public String wire() {
    return wire;
  }

  /** The module of a wire name, if it names one. */
  public static Optional<ProductModule> fromWire(String wire) {
    return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
  }
}
