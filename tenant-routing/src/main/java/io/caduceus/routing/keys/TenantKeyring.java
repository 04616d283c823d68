package io.caduceus.routing.keys;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant data keys under envelope encryption: each tenant's AES-256 key is stored wrapped by the master key
 * in the control plane, and unwrapped into memory on use. Unwrapped keys are kept for five minutes, so a
 * destroyed key (crypto-shredding) stops opening data on every node within that time.
 */
public final class TenantKeyring {

  private static final String INSERT = """
      INSERT INTO tenant_key (tenant_id, key_version, wrapped_key, master_key_id)
      VALUES ($1, $2, $3, $4)""";
  private static final String LOAD = """
      SELECT key_version, wrapped_key
      FROM tenant_key
      WHERE tenant_id = $1
      ORDER BY key_version""";

  private final ControlPlane controlPlane;
  private final MasterKey master;
  private final SecureRandom random = new SecureRandom();
  private static final long KEEP_NANOS = Duration.ofMinutes(5).toNanos();

  private final Map<TenantId, Unwrapped> unwrapped = new ConcurrentHashMap<>();

  private record Unwrapped(TenantKeys keys, long loadedAt) {
  }

  public TenantKeyring(ControlPlane controlPlane, MasterKey master) {
    this.controlPlane = controlPlane;
    this.master = master;
  }

  /** Creates a tenant's first data key inside the caller's control-plane transaction. */
  public Future<Void> provision(SqlConnection conn, TenantId tenant) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    byte[] wrapped = master.seal(raw, wrapContext(tenant, 1));
    return conn.preparedQuery(INSERT).execute(Tuple.of(tenant.value(), 1, Buffer.buffer(wrapped),
        master.id())).mapEmpty();
  }

  /** The tenant's keys, unwrapped (cached after the first call). */
  public Future<TenantKeys> keys(TenantId tenant) {
    Unwrapped cached = unwrapped.get(tenant);
    if (cached != null && System.nanoTime() - cached.loadedAt < KEEP_NANOS) {
      return Future.succeededFuture(cached.keys);
    }
    return controlPlane.pool().preparedQuery(LOAD).execute(Tuple.of(tenant.value())).map(rows -> {
      Map<Integer, SecretKey> byVersion = new HashMap<>();
      int current = 0;
      for (Row row : rows) {
        int version = row.getInteger("key_version");
        current = Math.max(current, version);
        if (row.getBuffer("wrapped_key") != null) {
          byte[] raw = master.open(row.getBuffer("wrapped_key").getBytes(), wrapContext(tenant, version));
          byVersion.put(version, new SecretKeySpec(raw, "AES"));
        }
      }
      TenantKeys keys = new TenantKeys(tenant, current, byVersion);
      if (!byVersion.isEmpty()) {
        unwrapped.put(tenant, new Unwrapped(keys, System.nanoTime()));
      }
      return keys;
    });
  }

  /** A data key as stored: wrapped by the master key {@code masterKeyId}; null once destroyed. */
  public record WrappedKey(int version, byte[] wrapped, String masterKeyId) {
  }

  private static final String WRAPPED = """
      SELECT key_version, wrapped_key, master_key_id
      FROM tenant_key
      WHERE tenant_id = $1 AND wrapped_key IS NOT NULL
      ORDER BY key_version""";
  private static final String DESTROY = """
      UPDATE tenant_key
      SET wrapped_key = NULL, destroyed_at = now()
      WHERE tenant_id = $1 AND wrapped_key IS NOT NULL""";
  private static final String RESTORE = """
      INSERT INTO tenant_key (tenant_id, key_version, wrapped_key, master_key_id)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT (tenant_id, key_version) DO UPDATE SET wrapped_key = EXCLUDED.wrapped_key,
        master_key_id = EXCLUDED.master_key_id, destroyed_at = NULL""";

  /** The tenant's live keys, still wrapped (for a tenant export, which only this platform's master key opens). */
  public Future<List<WrappedKey>> wrapped(TenantId tenant) {
    return controlPlane.pool().preparedQuery(WRAPPED).execute(Tuple.of(tenant.value())).map(rows -> {
      List<WrappedKey> keys = new ArrayList<>();
      rows.forEach(row -> keys.add(new WrappedKey(row.getInteger("key_version"),
          row.getBuffer("wrapped_key").getBytes(), row.getString("master_key_id"))));
      return keys;
    });
  }

  /**
   * Destroys every data key of the tenant (crypto-shredding): the wrapped keys are erased, so whatever was sealed
   * under them, in any copy anywhere, can no longer be opened. Other nodes stop within five minutes.
   */
  public Future<Integer> destroy(TenantId tenant) {
    return controlPlane.pool().preparedQuery(DESTROY).execute(Tuple.of(tenant.value()))
        .map(rows -> rows.rowCount())
        .andThen(done -> forget(tenant));
  }

  /** Puts back keys taken from an export of the tenant (a restore); they must open under this master key. */
  public Future<Void> restore(SqlConnection conn, TenantId tenant, List<WrappedKey> keys) {
    for (WrappedKey key : keys) {
      master.open(key.wrapped(), wrapContext(tenant, key.version()));
    }
    List<Tuple> rows = new ArrayList<>();
    keys.forEach(key -> rows.add(Tuple.of(tenant.value(), key.version(), Buffer.buffer(key.wrapped()),
        key.masterKeyId())));
    return rows.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(RESTORE).executeBatch(rows).andThen(done -> forget(tenant)).mapEmpty();
  }

  /** Forgets the unwrapped keys of a tenant, so the next use reads the control plane again. */
  public void forget(TenantId tenant) {
    unwrapped.remove(tenant);
  }

  private static String wrapContext(TenantId tenant, int version) {
    return "tenant-key|" + tenant + "|" + version;
  }
}
