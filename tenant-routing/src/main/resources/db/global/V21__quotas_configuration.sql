-- The request quotas move under the configuration store (issue 16): a tenant's overrides become the tenant level of
-- the "quotas" namespace, {"tenant": {"perSecond", "burst"}, "users": {"<user id>": {"perSecond", "burst"}}}, at
-- version 1; the node's configured quotas stay the defaults, and the global and region levels may now set others.
-- The table goes: the store is the one truth, and every node reads it from its in-memory view.
INSERT INTO config_entry (namespace, level, scope_id, tenant_id, settings, version, updated_at)
SELECT 'quotas', 'tenant', q.tenant_id::text, q.tenant_id,
       coalesce((SELECT jsonb_build_object('tenant', jsonb_build_object('perSecond', t.per_second, 'burst', t.burst))
                 FROM tenant_quota t WHERE t.tenant_id = q.tenant_id AND t.subject = 'tenant'), '{}'::jsonb)
         || coalesce((SELECT jsonb_build_object('users', jsonb_object_agg(lower(u.subject),
                                jsonb_build_object('perSecond', u.per_second, 'burst', u.burst)))
                      FROM tenant_quota u WHERE u.tenant_id = q.tenant_id AND u.subject <> 'tenant'
                      HAVING count(*) > 0), '{}'::jsonb),
       1, max(q.updated_at)
FROM tenant_quota q
GROUP BY q.tenant_id
ON CONFLICT (namespace, level, scope_id) DO NOTHING;

INSERT INTO config_version (namespace, level, scope_id, version, tenant_id, settings, diff, changed_at)
SELECT e.namespace, e.level, e.scope_id, 1, e.tenant_id, e.settings,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('key', k, 'after', v) ORDER BY k), '[]'::jsonb)
        FROM jsonb_each(e.settings) AS kv (k, v)),
       e.updated_at
FROM config_entry e
WHERE e.namespace = 'quotas' AND e.level = 'tenant' AND e.version = 1
ON CONFLICT (namespace, level, scope_id, version) DO NOTHING;

DROP TABLE tenant_quota;
