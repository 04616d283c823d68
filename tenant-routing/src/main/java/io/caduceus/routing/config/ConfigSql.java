package io.caduceus.routing.config;

/** The configuration store's SQL, in one place. */
final class ConfigSql {

  static final String ENTRY_COLUMNS = "namespace, level, scope_id, settings, version, updated_at, updated_by";
  static final String VERSION_COLUMNS = "version, settings, diff, changed_by, changed_at, restored_from";

  static final String ALL = "SELECT " + ENTRY_COLUMNS + " FROM config_entry";

  static final String FIND = "SELECT " + ENTRY_COLUMNS
      + " FROM config_entry WHERE namespace = $1 AND level = $2 AND scope_id = $3";

  static final String LOCK = FIND + " FOR UPDATE";

  /** Writes the new version only over the one the writer read: a concurrent first write loses, as a 412. */
  static final String UPSERT = """
      INSERT INTO config_entry (namespace, level, scope_id, tenant_id, settings, version, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6 + 1, $7)
      ON CONFLICT (namespace, level, scope_id) DO UPDATE
        SET settings = EXCLUDED.settings, version = EXCLUDED.version, updated_at = now(),
          updated_by = EXCLUDED.updated_by
        WHERE config_entry.version = $6
      RETURNING %s""".formatted(ENTRY_COLUMNS);

  static final String ADD_VERSION = """
      INSERT INTO config_version
        (namespace, level, scope_id, version, tenant_id, settings, diff, changed_by, restored_from)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String VERSIONS = """
      SELECT %s FROM config_version
      WHERE namespace = $1 AND level = $2 AND scope_id = $3
      ORDER BY version DESC
      LIMIT $4""".formatted(VERSION_COLUMNS);

  static final String VERSION = """
      SELECT %s FROM config_version
      WHERE namespace = $1 AND level = $2 AND scope_id = $3 AND version = $4""".formatted(VERSION_COLUMNS);

  /** A tenant's global, region and tenant entries of one namespace, least specific first. */
  static final String TENANT_LAYERS = """
      SELECT e.settings
      FROM tenant t
      JOIN config_entry e ON e.namespace = $1
        AND ((e.level = 'global' AND e.scope_id = '')
          OR (e.level = 'region' AND e.scope_id = t.data_region)
          OR (e.level = 'tenant' AND e.scope_id = t.id::text))
      WHERE t.id = $2
      ORDER BY CASE e.level WHEN 'global' THEN 0 WHEN 'region' THEN 1 ELSE 2 END""";

  static final String NOTIFY = "SELECT pg_notify($1, $2)";

  /**
   * A tenant's version 1 of namespace $4: its general keys when it is created (or imported), or keys brought from
   * where they were kept before; a tenant that already has that tenant level keeps it.
   */
  static final String SEED_TENANT = """
      WITH entry AS (
        INSERT INTO config_entry (namespace, level, scope_id, tenant_id, settings, version)
        VALUES ($4, 'tenant', $1::uuid::text, $1, $2, 1)
        ON CONFLICT (namespace, level, scope_id) DO NOTHING
        RETURNING settings)
      INSERT INTO config_version (namespace, level, scope_id, version, tenant_id, settings, diff)
      SELECT $4, 'tenant', $1::uuid::text, 1, $1, settings, $3 FROM entry""";

  /**
   * Keeps the tenant columns that mirror "general" (locale, time zone, branding) equal to their effective values, for
   * the tenants a change can reach: one tenant ($1), a region's ($2), or all (both null). A tenant whose row already
   * changed in this transaction (a PATCH of its settings) has counted its new version; any other gets one.
   */
  static final String SYNC_GENERAL = """
      UPDATE tenant t
      SET locale = e.locale, time_zone = e.time_zone, branding = e.branding, updated_at = now(),
        version = CASE WHEN t.updated_at = now() THEN t.version ELSE t.version + 1 END
      FROM (
        SELECT s.id,
          coalesce(tl.settings ->> 'locale', rl.settings ->> 'locale', gl.settings ->> 'locale', $3) AS locale,
          coalesce(tl.settings ->> 'timeZone', rl.settings ->> 'timeZone', gl.settings ->> 'timeZone', $4)
            AS time_zone,
          coalesce(tl.settings -> 'branding', rl.settings -> 'branding', gl.settings -> 'branding', '{}'::jsonb)
            AS branding
        FROM tenant s
        LEFT JOIN config_entry tl
          ON tl.namespace = 'general' AND tl.level = 'tenant' AND tl.scope_id = s.id::text
        LEFT JOIN config_entry rl
          ON rl.namespace = 'general' AND rl.level = 'region' AND rl.scope_id = s.data_region
        LEFT JOIN config_entry gl
          ON gl.namespace = 'general' AND gl.level = 'global' AND gl.scope_id = ''
        WHERE ($1::uuid IS NULL OR s.id = $1) AND ($2::text IS NULL OR s.data_region = $2)
      ) e
      WHERE t.id = e.id AND (t.locale, t.time_zone, t.branding) IS DISTINCT FROM (e.locale, e.time_zone, e.branding)
      RETURNING t.id""";

  private ConfigSql() {
  }
}
