-- Dedicated permissions for the organisation and rooms (issue 15): organisation.read, organisation.manage and
-- room.manage take over what tenant.read, tenant.settings.write and practitioner.manage allowed there. A tenant role
-- or grant defined before them keeps what it allowed: each role holding an old permission gains its new one, and each
-- in-force grant of an old permission gets a twin of the new one with the same scope and expiry. The tenants touched
-- get a new access version, so every node re-reads their members' access.

WITH successor (old, new) AS (VALUES ('tenant.read', 'organisation.read'),
    ('tenant.settings.write', 'organisation.manage'), ('practitioner.manage', 'room.manage')),
roles AS (
  UPDATE tenant_role r
  SET permissions = r.permissions || ARRAY(
        SELECT s.new FROM successor s
        WHERE s.old = ANY (r.permissions) AND NOT s.new = ANY (r.permissions) ORDER BY s.new),
      version = r.version + 1, updated_at = now()
  WHERE EXISTS (SELECT 1 FROM successor s WHERE s.old = ANY (r.permissions) AND NOT s.new = ANY (r.permissions))
  RETURNING r.tenant_id),
grants AS (
  INSERT INTO member_grant (tenant_id, id, user_id, permission, scope_kind, scope_id, expires_at, granted_by,
                            granted_at)
  SELECT g.tenant_id, gen_random_uuid(), g.user_id, s.new, g.scope_kind, g.scope_id, g.expires_at, g.granted_by,
         g.granted_at
  FROM member_grant g JOIN successor s ON s.old = g.permission
  WHERE g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())
    AND NOT EXISTS (SELECT 1 FROM member_grant t
                    WHERE t.tenant_id = g.tenant_id AND t.user_id = g.user_id AND t.permission = s.new
                      AND t.revoked_at IS NULL AND t.scope_id IS NOT DISTINCT FROM g.scope_id)
  RETURNING tenant_id)
UPDATE tenant_access a SET version = a.version + 1, changed_at = now()
WHERE a.tenant_id IN (SELECT tenant_id FROM roles UNION SELECT tenant_id FROM grants);
