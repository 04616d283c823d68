package io.caduceus.routing.catalog;

import io.caduceus.routing.Keyset;

/** The catalog's SQL, in one place. */
final class TenantSql {

  static final String COLUMNS = """
      id, kind, slug, name, status, data_region, isolation_tier, locale, time_zone, branding, created_at,
      updated_at, version""";

  static final String FIND = "SELECT " + COLUMNS + " FROM tenant WHERE id = $1";

  static final String INSERT = """
      INSERT INTO tenant
        (id, kind, slug, name, status, data_region, isolation_tier, locale, time_zone, branding)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      RETURNING %s""".formatted(COLUMNS);

  static final String LIST = """
      SELECT %s
      FROM tenant
      WHERE ($1::text IS NULL OR status = $1)
        AND ($2::text IS NULL OR kind = $2)
        AND %s
      ORDER BY created_at, id
      LIMIT $5""".formatted(COLUMNS, Keyset.after("created_at", "id", 3, 4));

  static final String SET_STATUS = """
      UPDATE tenant
      SET status = $2, updated_at = now(), version = version + 1
      WHERE id = $1 AND status = ANY ($3::text[])
      RETURNING %s""".formatted(COLUMNS);

  static final String UPDATE_SETTINGS = """
      UPDATE tenant
      SET name = coalesce($3, name), locale = coalesce($4, locale), time_zone = coalesce($5, time_zone),
        branding = coalesce($6, branding), updated_at = now(), version = version + 1
      WHERE id = $1 AND ($2::int IS NULL OR version = $2)
      RETURNING %s""".formatted(COLUMNS);

  static final String UPSERT_REGION = """
      INSERT INTO region (code, display_name)
      VALUES ($1, $2)
      ON CONFLICT (code) DO NOTHING""";

  static final String REGIONS = "SELECT code, display_name FROM region ORDER BY code";

  static final String COUNT = "SELECT count(*) AS n FROM tenant";

  private TenantSql() {
  }
}
