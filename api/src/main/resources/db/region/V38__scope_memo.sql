-- The scoped access policy without its per-statement price (issue 17's benchmark of issue 15). V31/V32's
-- scope_groups() derived a member's groups from the membership tables in every statement, and the org_scope policy
-- called it once per arm: the policy cost a fifth of a nurse's reads by id. Now:
--
--   * access_policy.org_version names the state of everything the groups derive from: a trigger gives the row a new
--     value from a sequence on every write of it (the policy's scope or view), and the membership tables (staff_group,
--     session_group) and the groups' own rows (a department's facility or status, a care team's status) write it on
--     every change. A value is never reused, a copied row included: the trigger overrides whatever a writer supplies.
--   * scope_groups() still reads the tenant's policy row in every statement (an index probe, as when the policy is
--     off), but derives the groups only when the connection's memo was made for another tenant, user, session or
--     org_version; otherwise it returns the memo. The memo lives in settings of the connection's session
--     (app.scope_key, app.scope_facilities, app.scope_care_teams), so it outlives the transaction, and a transaction
--     that rolls back takes its memo writes with it.
--   * scope_facilities() and scope_care_teams() return the memo's two halves for the policy's arms, without a
--     second probe. keep_to_scope (db/tenant-tables) places them after the scope_groups() arm, which has made the
--     memo current in the same statement; a memo made for another tenant, user or session yields null, so an arm
--     reached without it admits nothing.
--
-- The app role could write the memo settings itself, as it could write app.sees_all: the policy guards against a
-- repository that forgets a filter, not against the app's own connection.

CREATE SEQUENCE IF NOT EXISTS ${flyway:defaultSchema}.org_change;
GRANT USAGE ON SEQUENCE ${flyway:defaultSchema}.org_change TO ${app_role};

ALTER TABLE ${flyway:defaultSchema}.access_policy
  ADD COLUMN IF NOT EXISTS org_version bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.access_policy_versioned() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.org_version := nextval('${flyway:defaultSchema}.org_change');
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS access_policy_versioned ON ${flyway:defaultSchema}.access_policy;
CREATE TRIGGER access_policy_versioned BEFORE INSERT OR UPDATE ON ${flyway:defaultSchema}.access_policy
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.access_policy_versioned();

-- A change of one of the groups' inputs gives its tenant's policy row a new org_version. The row is kept to the
-- tenant in app.tenant_id (tenant_isolation, forced); a writer scoped to no tenant or another (the owner copying a
-- tenant, a test's setup) is lent the row's tenant for the one statement.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.org_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  tenant uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  scoped text := current_setting('app.tenant_id', true);
  lent boolean := scoped IS DISTINCT FROM tenant::text;
BEGIN
  IF lent THEN
    PERFORM set_config('app.tenant_id', tenant::text, true);
  END IF;
  UPDATE ${flyway:defaultSchema}.access_policy SET org_version = 0 WHERE tenant_id = tenant;
  IF lent THEN
    PERFORM set_config('app.tenant_id', coalesce(scoped, ''), true);
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_group', 'session_group'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS org_changed ON ${flyway:defaultSchema}.%I', t);
    EXECUTE format('CREATE TRIGGER org_changed AFTER INSERT OR UPDATE OR DELETE ON ${flyway:defaultSchema}.%I'
      || ' FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.org_changed()', t);
  END LOOP;
END $$;
DROP TRIGGER IF EXISTS org_changed ON ${flyway:defaultSchema}.department;
CREATE TRIGGER org_changed AFTER UPDATE OF facility_id, status OR DELETE ON ${flyway:defaultSchema}.department
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.org_changed();
DROP TRIGGER IF EXISTS org_changed ON ${flyway:defaultSchema}.care_team;
CREATE TRIGGER org_changed AFTER UPDATE OF status OR DELETE ON ${flyway:defaultSchema}.care_team
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.org_changed();

-- Whose memo a connection holds: tenant, user and session, as the request set them.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_owner() RETURNS text
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT coalesce(current_setting('app.tenant_id', true), '') || '/' || coalesce(current_setting('app.user_id', true), '')
    || '/' || coalesce(current_setting('app.session_id', true), '') || '/'
$$;

-- The groups in force for this statement's session, as V32 defines them (a department counts as its facility; a
-- closed department or care team counts for nothing; under a switchable view only the session's chosen group), or
-- null when the policy confines nothing. Derived once per connection and org_version (see above).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_groups() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  chosen_session uuid := nullif(current_setting('app.session_id', true), '')::uuid;
  policy ${flyway:defaultSchema}.access_policy;
  memo text;
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
  PERFORM set_config('app.scope_facilities', facilities::text, false),
          set_config('app.scope_care_teams', teams::text, false),
          set_config('app.scope_key', memo, false);
  RETURN facilities || teams;
END $$;

-- The memo's halves, for the policy's arms; null when the memo is another session's (the arm then admits nothing).
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_facilities() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT CASE WHEN starts_with(current_setting('app.scope_key', true), ${flyway:defaultSchema}.scope_owner())
              THEN current_setting('app.scope_facilities', true)::uuid[] END
$$;

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_care_teams() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT CASE WHEN starts_with(current_setting('app.scope_key', true), ${flyway:defaultSchema}.scope_owner())
              THEN current_setting('app.scope_care_teams', true)::uuid[] END
$$;
