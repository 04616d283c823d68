package io.caduceus.api.config;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.config.ConfigEntry;
import io.caduceus.routing.config.ConfigLevel;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.caduceus.routing.config.ConfigVersion;
import io.caduceus.routing.config.ConfigView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Hierarchical configuration: a namespace's keys at one scope (read, replaced, its versions read and restored) and
 * the values in effect for a tenant, a facility or a user, with where each comes from. A tenant admin reads and
 * edits their tenant's scopes at the levels the namespace lets them; the platform owner the global, region and
 * tenant levels of every namespace; a member their own user level where the namespace allows it. Writes go to the
 * store; reads of effective values come from this node's view, which never waits on I/O.
 */
public final class ConfigService {

  /** A namespace and one existing scope of it, checked for the caller. */
  public record Target(ConfigNamespace namespace, ConfigScope scope) {
  }

  private final ConfigNamespaces namespaces;
  private final ConfigScopes scopes;
  private final ConfigStore store;
  private final ConfigView view;
  private final TenantCatalog catalog;
  private final Map<String, ConfigProjection> projections = new ConcurrentHashMap<>();

  private ConfigService(ConfigNamespaces namespaces, ConfigScopes scopes, ConfigStore store, ConfigView view,
                        TenantCatalog catalog) {
    this.namespaces = namespaces;
    this.scopes = scopes;
    this.store = store;
    this.view = view;
    this.catalog = catalog;
  }

  /** Has every write of {@code namespace}'s tenant level also applied by {@code projection}. */
  public void project(String namespace, ConfigProjection projection) {
    projections.put(namespace, projection);
  }

  /** The service over the store and this node's view; facilities and members are checked where they live. */
  public static ConfigService create(ConfigNamespaces namespaces, TenantDb db, TenantCatalog catalog,
                                     UserRepository users, ConfigStore store, ConfigView view) {
    return new ConfigService(namespaces, new ConfigScopes(db, catalog, users), store, view, catalog);
  }

  /** A scope under the caller's tenant, for a tenant admin; {@code writing} also needs a level they edit. */
  public Future<Target> tenantTarget(TenantContext ctx, String namespace, String scope, boolean writing) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> namespace(namespace))
        .compose(ns -> scopes.ofTenant(ctx, ns, scope).compose(s -> {
          if (writing && !ConfigScopes.tenantEdits(ns, s.level())) {
            return Future.failedFuture(new Forbidden("the platform owner sets " + ns.name() + " at the "
                + s.level().wire() + " level"));
          }
          return Future.succeededFuture(new Target(ns, s));
        }));
  }

  /** A scope the platform owner names: global, a region or a tenant. */
  public Future<Target> platformTarget(TenantContext ctx, String namespace, String scope) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> namespace(namespace))
        .compose(ns -> scopes.ofPlatform(ns, scope).map(s -> new Target(ns, s)));
  }

  /** The caller's own user level in their active tenant; {@code writing} needs a namespace users set. */
  public Future<Target> selfTarget(TenantContext ctx, String namespace, boolean writing) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> namespace(namespace))
        .compose(ns -> {
          if (!ns.levels().contains(ConfigLevel.USER) || writing && !ns.selfEdits()) {
            return Future.failedFuture(new Forbidden("users do not set their own " + ns.name() + " settings"));
          }
          return Future.succeededFuture(new Target(ns, ConfigScope.user(ctx.tenantId(), ctx.userId())));
        });
  }

  /** The keys set at the target's scope (version 0 and none when nothing was ever set there), read now. */
  public Future<ConfigEntry> entry(Target target) {
    return store.entry(target.namespace().name(), target.scope());
  }

  /** Replaces the keys at the target's scope if it is at {@code version}; each write is a new version. */
  public Future<ConfigEntry> write(TenantContext ctx, Target target, int version, JsonObject values) {
    target.namespace().check(values);
    return store.write(target.namespace().name(), target.scope(), version, values, ctx.userId(), null)
        .map(this::kept).compose(entry -> projected(ctx, target, entry));
  }

  /**
   * Changes a tenant's level of {@code namespace} for an older settings endpoint, which checks its own permission and
   * preconditions: {@code change} turns the keys set there into the new ones, which the schema checks. A new version
   * like any write, seen at once by this node and projected where the namespace's readers look.
   */
  public Future<ConfigEntry> changeTenantLevel(TenantContext ctx, String namespace, TenantId tenant,
                                               UnaryOperator<JsonObject> change) {
    return namespace(namespace).compose(ns -> {
      Target target = new Target(ns, ConfigScope.tenant(tenant));
      return store.entry(ns.name(), target.scope()).compose(current -> {
        JsonObject values = change.apply(current.settings().copy());
        ns.check(values);
        return store.write(ns.name(), target.scope(), current.version(), values, ctx.userId(), null)
            .map(this::kept).compose(entry -> projected(ctx, target, entry));
      });
    });
  }

  /** The newest versions of the target's scope first. */
  public Future<List<ConfigVersion>> versions(Target target, int limit) {
    return store.versions(target.namespace().name(), target.scope(), limit);
  }

  /** One version of the target's scope. */
  public Future<ConfigVersion> version(Target target, int version) {
    return store.version(target.namespace().name(), target.scope(), version)
        .map(v -> v.orElseThrow(() -> new NotFound("no such version")));
  }

  /** Makes {@code version}'s keys current again, as a new version, if the scope is at {@code current}. */
  public Future<ConfigEntry> restore(TenantContext ctx, Target target, int version, int current) {
    return version(target, version).compose(old -> {
      target.namespace().check(old.settings());
      return store.write(target.namespace().name(), target.scope(), current, old.settings(), ctx.userId(),
          version);
    }).map(this::kept).compose(entry -> projected(ctx, target, entry));
  }

  /**
   * The values in effect for the caller's tenant, or one of its facilities, or one of its users (a tenant admin,
   * or the user themself), each with the level and scope it comes from.
   */
  public Future<JsonObject> effective(TenantContext ctx, String namespace, UUID facility, UUID user) {
    boolean self = user == null || user.equals(ctx.userId());
    return Access.check(ctx, self ? Permission.TENANT_READ : Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> namespace(namespace))
        .compose(ns -> Future.all(facility == null ? Future.succeededFuture() : scopes.facility(ctx, facility),
                user == null || self ? Future.succeededFuture() : scopes.member(ctx.tenantId(), user))
            .map(checked -> effective(ctx, ns, facility, user)));
  }

  private JsonObject effective(TenantContext ctx, ConfigNamespace ns, UUID facility, UUID user) {
    List<ConfigScope> chain = new ArrayList<>(List.of(ConfigScope.global(), ConfigScope.region(ctx.region()),
        ConfigScope.tenant(ctx.tenantId())));
    if (facility != null) {
      chain.add(ConfigScope.facility(ctx.tenantId(), facility));
    }
    if (user != null) {
      chain.add(ConfigScope.user(ctx.tenantId(), user));
    }
    JsonObject values = new JsonObject();
    ns.defaults().forEach(e -> values.put(e.getKey(), ConfigJson.provenance(e.getValue(), null)));
    view.layers(ns.name(), chain.stream().filter(s -> ns.levels().contains(s.level())).toList())
        .forEach(layer -> layer.settings().forEach(e -> values.put(e.getKey(),
            ConfigJson.provenance(e.getValue(), layer.scope()))));
    JsonObject ordered = new JsonObject();
    ns.keys().stream().filter(values::containsKey).forEach(k -> ordered.put(k, values.getValue(k)));
    return new JsonObject().put("namespace", ns.name()).put("values", ordered);
  }

  /** Applies a tenant level's write where its projection (if any) carries it; answers the entry. */
  private Future<ConfigEntry> projected(TenantContext ctx, Target target, ConfigEntry entry) {
    ConfigProjection projection = projections.get(target.namespace().name());
    if (projection == null || target.scope().level() != ConfigLevel.TENANT) {
      return Future.succeededFuture(entry);
    }
    JsonObject effective = target.namespace().defaults().mergeIn(entry.settings());
    TenantId tenant = target.scope().tenant();
    Future<TenantContext> scope = tenant.equals(ctx.tenantId()) ? Future.succeededFuture(ctx)
        : catalog.find(tenant).map(t -> t.map(found -> TenantContext.system(found.id(), found.dataRegion(),
            found.tier(), ctx.userId(), Set.of(), "config")).orElseThrow(() -> new NotFound("no such tenant")));
    return scope.compose(c -> projection.project(c, effective)).map(entry);
  }

  private Future<ConfigNamespace> namespace(String name) {
    return namespaces.find(name).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new NotFound("no such configuration namespace")));
  }

  private ConfigEntry kept(Optional<ConfigEntry> written) {
    ConfigEntry entry = written.orElseThrow(() -> new PreconditionFailed(
        "the configuration has changed since you read it"));
    view.written(entry);
    return entry;
  }
}
