package io.caduceus.api.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;

import java.util.UUID;

/**
 * This node's OpenFeature client. OpenFeature's API is one per JVM, so each node registers its provider under a
 * domain of its own (two nodes in one test JVM keep their own snapshots) and evaluates through the client bound to
 * it. Code that evaluates a flag asks {@link #client()} and never the provider: another provider could take its place.
 */
public final class Flags {

  private final String domain = "caduceus-" + UUID.randomUUID();
  private final Client client;

  /** Registers the provider (ready at once: its snapshot is loaded) and opens the client. */
  public Flags(ControlPlaneProvider provider) {
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
    this.client = OpenFeatureAPI.getInstance().getClient(domain);
  }

  /** The client flags are evaluated through. */
  public Client client() {
    return client;
  }
}
