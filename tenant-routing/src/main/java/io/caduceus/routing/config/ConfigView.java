package io.caduceus.routing.config;

import io.caduceus.routing.ControlPlaneChanges;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of every configuration entry, so that reading configuration never waits on I/O. It re-reads an
 * entry when {@link ConfigStore#CHANNEL} announces its change (within about a second on every node) and everything
 * whenever the channel is (re)subscribed, when announcements may have been missed. An entry only ever moves to a
 * higher version, so a late answer never replaces a newer one.
 */
public final class ConfigView {

  private final ConfigStore store;
  private final Map<String, ConfigEntry> entries = new ConcurrentHashMap<>();

  private ConfigView(ConfigStore store) {
    this.store = store;
  }

  /** A view that follows {@code changes}; it fills on the first subscribe, which {@code changes.start()} makes. */
  public static ConfigView following(ConfigStore store, ControlPlaneChanges changes) {
    ConfigView view = new ConfigView(store);
    changes.on(ConfigStore.CHANNEL, view::changed, view::resync);
    return view;
  }

  /** Reads every entry now (also done on every (re)subscribe). */
  public Future<Void> resync() {
    return store.all().map(all -> {
      all.forEach(this::keep);
      return null;
    });
  }

  /** The entry at one scope, as this node last read it; empty when nothing is set there. */
  public Optional<ConfigEntry> at(String namespace, ConfigScope scope) {
    return Optional.ofNullable(entries.get(ConfigStore.cacheKey(namespace, scope.level(), scope.key())));
  }

  /** The entries at each of {@code scopes}, least specific first, skipping scopes with nothing set. */
  public List<ConfigEntry> layers(String namespace, List<ConfigScope> scopes) {
    return scopes.stream().map(s -> at(namespace, s)).flatMap(Optional::stream).toList();
  }

  /** Takes an entry this node just wrote, so its own next read shows it without waiting for the announcement. */
  public void written(ConfigEntry entry) {
    keep(entry);
  }

  private void changed(String payload) {
    store.changed(payload).onSuccess(found -> found.ifPresent(this::keep));
  }

  private void keep(ConfigEntry entry) {
    entries.merge(entry.cacheKey(), entry, (old, neu) -> neu.version() >= old.version() ? neu : old);
  }
}
