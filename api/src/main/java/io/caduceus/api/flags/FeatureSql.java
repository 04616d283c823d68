package io.caduceus.api.flags;

/** The control-plane statements of flags, their rules, modules and their change log. */
final class FeatureSql {

  private FeatureSql() {
  }

  static final String FLAGS = "SELECT * FROM feature_flag";
  static final String FLAG = "SELECT * FROM feature_flag WHERE key = $1";
  static final String FLAG_FOR_UPDATE = "SELECT * FROM feature_flag WHERE key = $1 FOR UPDATE";
  static final String RULES = "SELECT * FROM feature_flag_rule";
  static final String RULES_OF = "SELECT * FROM feature_flag_rule WHERE flag_key = $1";

  static final String INSERT_FLAG = """
      INSERT INTO feature_flag (key, kind, variants, default_variant, owner, description, expires_on,
                                tenant_editable)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (key) DO NOTHING
      RETURNING key""";
  static final String UPDATE_FLAG = """
      UPDATE feature_flag SET variants = $2, default_variant = $3, owner = $4, description = $5, expires_on = $6,
             tenant_editable = $7, updated_at = now(), version = version + 1
       WHERE key = $1""";
  static final String SET_KILL = """
      UPDATE feature_flag SET kill_variant = $2, killed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END,
             updated_at = now(), version = version + 1
       WHERE key = $1""";
  /** Keeps when the flag began to serve one variant to everyone; cleared once contexts differ again. */
  static final String SET_UNIFORM = """
      UPDATE feature_flag SET uniform_since = CASE WHEN NOT $2 THEN NULL ELSE coalesce(uniform_since, now()) END
       WHERE key = $1""";
  static final String DELETE_FLAG = "DELETE FROM feature_flag WHERE key = $1";

  static final String INSERT_RULE = """
      INSERT INTO feature_flag_rule (id, flag_key, scope, scope_value, tenant_id, role, variant, percentage)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  static final String DELETE_RULE = "DELETE FROM feature_flag_rule WHERE flag_key = $1 AND id = $2";
  static final String DELETE_SAME_RULE = """
      DELETE FROM feature_flag_rule
       WHERE flag_key = $1 AND scope = $2 AND scope_value = $3 AND tenant_id IS NOT DISTINCT FROM $4 AND role = $5""";
  static final String DELETE_TENANT_RULES = """
      DELETE FROM feature_flag_rule WHERE flag_key = $1 AND tenant_id = $2 AND scope IN ('tenant', 'user')""";

  static final String MODULES = "SELECT * FROM tenant_module";
  static final String MODULES_OF = "SELECT * FROM tenant_module WHERE tenant_id = $1";
  static final String SET_ALLOWED = """
      INSERT INTO tenant_module (tenant_id, module, allowed) VALUES ($1, $2, $3)
      ON CONFLICT (tenant_id, module) DO UPDATE SET allowed = EXCLUDED.allowed, updated_at = now()""";
  static final String SET_ENABLED = """
      INSERT INTO tenant_module (tenant_id, module, enabled) VALUES ($1, $2, $3)
      ON CONFLICT (tenant_id, module) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()""";

  static final String INSERT_CHANGE = """
      INSERT INTO feature_change (id, subject, action, actor_user, actor_tenant, before, after)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  static final String CHANGES = """
      SELECT * FROM feature_change WHERE subject = $1 ORDER BY at DESC, id DESC LIMIT 100""";

  static final String NOTIFY = "SELECT pg_notify($1, $2)";
}
