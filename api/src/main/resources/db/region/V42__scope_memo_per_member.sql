-- The scoped access policy's memo kept per member on each connection, not for the last member only (issue 15).
--
-- V38's memo of a member's groups (app.scope_key and its two halves) is the connection's: a pooled connection that
-- serves another member, or another tenant, derives the groups again, and the next statement for the first member
-- derives them once more. On a node that serves many members every statement found another member's memo:
-- measured in PostgreSQL as the API runs it (a set_config of the scope, then the read by id, alternating two
-- tenants' nurses on one connection) a confined read cost 200-207 us against 138-151 us for one nurse alone and
-- 127-141 us with the policy off (bench/README.md, "Scoped access policy on vs off"), and bench/scope.sh's two
-- tenants read at 0.84-0.93 of the policy-off rate.
--
-- Now, when the connection's current memo is another member's, scope_groups() looks for this member's in the
-- session setting caduceus_scope.m<md5 of the memo's key>: the key names the tenant, user, session and the tenant's
-- org_version, so a change of any input is a new key and an older entry is never read again. Found, it becomes the
-- current memo (three set_configs, no derivation); not found, the groups are derived as before and kept under both
-- names. The entries are settings of the backend's session: a transaction that rolls back takes its writes with
-- them, and they end with the connection, which the region pools close after RegionRegistry.MAX_LIFETIME_MINUTES
-- so that a long-lived backend does not collect one entry per member and org_version forever.

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_groups() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  chosen_session uuid := nullif(current_setting('app.session_id', true), '')::uuid;
  policy ${flyway:defaultSchema}.access_policy;
  memo text;
  kept_as text;
  kept text;
  facilities uuid[];
  teams uuid[];
BEGIN
  IF nullif(current_setting('app.patient_id', true), '') IS NOT NULL
      OR current_setting('app.sees_all', true) = 'on' THEN
    RETURN NULL;
  END IF;
  SELECT * INTO policy FROM ${flyway:defaultSchema}.access_policy p WHERE p.tenant_id = tenant;
  IF NOT FOUND OR policy.scope = 'off' THEN
    RETURN NULL;
  END IF;
  memo := ${flyway:defaultSchema}.scope_owner() || policy.org_version;
  IF current_setting('app.scope_key', true) = memo THEN
    RETURN current_setting('app.scope_facilities')::uuid[] || current_setting('app.scope_care_teams')::uuid[];
  END IF;
  kept_as := 'caduceus_scope.m' || md5(memo);
  kept := nullif(current_setting(kept_as, true), '');
  IF kept IS NOT NULL THEN
    facilities := split_part(kept, '|', 1)::uuid[];
    teams := split_part(kept, '|', 2)::uuid[];
  ELSE
    SELECT coalesce(array_agg(DISTINCT CASE WHEN g.kind = 'department' THEN d.facility_id ELSE g.group_id END)
                      FILTER (WHERE g.kind <> 'care_team'), '{}'),
           coalesce(array_agg(DISTINCT g.group_id) FILTER (WHERE g.kind = 'care_team'), '{}')
      INTO facilities, teams
      FROM ${flyway:defaultSchema}.staff_group g
      LEFT JOIN ${flyway:defaultSchema}.department d ON d.tenant_id = g.tenant_id AND d.id = g.group_id
      LEFT JOIN ${flyway:defaultSchema}.care_team t ON t.tenant_id = g.tenant_id AND t.id = g.group_id
     WHERE g.tenant_id = tenant AND g.user_id = actor
       AND (g.kind <> 'department' OR d.status = 'active')
       AND (g.kind <> 'care_team' OR t.status = 'active')
       AND (policy.scope = 'facility_or_care_team'
            OR (policy.scope = 'facility' AND g.kind IN ('facility', 'department'))
            OR (policy.scope = 'care_team' AND g.kind = 'care_team'))
       AND (policy.group_view = 'combined' OR g.group_id = (
            SELECT s.group_id FROM ${flyway:defaultSchema}.session_group s
             WHERE s.tenant_id = tenant AND s.session_id = chosen_session AND s.user_id = actor));
    PERFORM set_config(kept_as, facilities::text || '|' || teams::text, false);
  END IF;
  PERFORM set_config('app.scope_facilities', facilities::text, false),
          set_config('app.scope_care_teams', teams::text, false),
          set_config('app.scope_key', memo, false);
  RETURN facilities || teams;
END $$;
