package io.caduceus.api.access;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members' tenant roles and grants, cached per node under the tenant's access version. The control plane is the
 * truth and bumps the version in the same transaction as any change; every request brings the current version
 * (read with its revocation flags), and an entry read at an older one is read again, so a change bites on the next
 * request on every node. A tenant at version 0 never defined a role nor granted anything: nothing is read.
 */
public final class MemberAccesses {

  private static final int MAX_ENTRIES = 50_000;

  private record Key(TenantId tenant, UUID user) {
  }

  private final ControlPlane controlPlane;
  private final Map<Key, MemberAccess> cache = new ConcurrentHashMap<>();

  public MemberAccesses(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** The member's access at {@code version} or later. */
  public Future<MemberAccess> of(TenantId tenant, UUID user, long version) {
    if (version <= 0) {
      return Future.succeededFuture(MemberAccess.none(0));
    }
    Key key = new Key(tenant, user);
    MemberAccess cached = cache.get(key);
    if (cached != null && cached.version() >= version) {
      return Future.succeededFuture(cached);
    }
    return read(tenant, user).map(read -> {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.merge(key, read, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
      return read;
    });
  }

  /** The member's access as the control plane has it now. */
  public Future<MemberAccess> read(TenantId tenant, UUID user) {
    return controlPlane.pool().preparedQuery(MemberAccessSql.MEMBER_ACCESS).execute(Tuple.of(tenant.value(), user))
        .map(rows -> {
          long version = 0;
          List<HeldRole> roles = new ArrayList<>();
          List<Grant> grants = new ArrayList<>();
          for (Row row : rows) {
            switch (row.getString("kind")) {
              case "version" -> version = row.getLong("version");
              case "role" -> roles.add(held(row));
              default -> grants.add(Grant.fromRow(row));
            }
          }
          return new MemberAccess(version, List.copyOf(roles), List.copyOf(grants));
        });
  }

  /** Every permission a tenant role gives: its base role's and its own. */
  public static Set<String> permissions(String basedOn, List<String> own) {
    Set<String> all = new HashSet<>(own);
    if (basedOn != null) {
      Role.fromWire(basedOn).permissions().forEach(p -> all.add(p.key()));
    }
    return Set.copyOf(all);
  }

  private static HeldRole held(Row row) {
    return new HeldRole(row.getUUID("id"), row.getString("name"),
        permissions(row.getString("based_on"), List.of(row.getArrayOfStrings("permissions"))));
  }
}
