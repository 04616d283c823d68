-- The scoped access policy on the tables whose rows carry their patient's groups (patient, patient_name_word) without
-- a plpgsql call in the statement (issue 15). V41/V42's form,
--
--   (SELECT scope_groups() IS NULL AS unconfined) OR group_ids && (SELECT scope_in_force()) OR <emergency arm>
--
-- called scope_groups() in every statement, for every tenant: a plpgsql call whose read of access_policy goes
-- through SPI (15 us per statement in bench/scope-pg.sh's `first` form, the policy on or off), and a member served
-- after another on the same connection paid V42's lookup of their memo and three set_configs making it current
-- again (about 20 us more, bench/scope-memo.sh). A pooled connection serves members in turn, so through the API a
-- read by id with two tenants' nurses cost the policy 6-12 % of its throughput, one nurse alone nothing measurable.
--
-- Now keep_to_scope (db/tenant-tables) writes
--
--   coalesce(<table>.group_ids && (SELECT scope_reach(p.scope, p.org_version) FROM access_policy p
--                                   WHERE p.tenant_id = <app.tenant_id>), true)
--   OR <table>.<patient> = ANY ((SELECT scope_emergency())::uuid[])
--
-- The tenant's policy row is read by the statement's own executor (an init plan: one index probe, no SPI), and
-- scope_reach is SQL that the planner inlines: null (every row) when the policy is off or absent, for a patient
-- acting for themself and for an unconfined actor or a whole-tenant job (app.sees_all); otherwise the member's
-- groups in force as a setting of the session names them, caduceus_reach.m<md5 of the schema, tenant, user, session
-- and org_version>, read without making it current, so serving members in turn costs nothing more. The first
-- statement of a member at a new org_version finds no such setting and calls scope_reach_derived (plpgsql), which
-- derives the groups through scope_groups() and keeps them under that name. A new org_version is a new name: an
-- older entry is never read again, and the region pools close a connection after RegionRegistry's
-- MAX_LIFETIME_MINUTES, which bounds how many a backend collects. The emergency arm runs only for a row the groups
-- do not admit.
--
-- The memo's key now names the place's schema too (scope_owner): a tenant moved to another place (a tenant schema in
-- the same database, whose org_change sequence counts on its own) could otherwise meet, on a pooled connection, an
-- entry made at the old place under the same org_version.
--
-- The other tables that carry a patient keep V40's arms (scope_groups() with its halves scope_facilities() and
-- scope_care_teams()), behind the same init plan on access_policy: `coalesce((SELECT scope_unconfined(p.scope) FROM
-- access_policy p WHERE ...), true) OR ((SELECT scope_groups() IS NOT NULL AS confined) AND (<V40's facility and
-- care-team arms>)) OR <emergency arm>`, so a statement of a tenant whose policy is off, or of an unconfined actor,
-- makes no plpgsql call either; a confined one calls scope_groups() first, which makes the memo its halves read
-- current. The app role could write these settings itself, as it could write app.sees_all: the policy
-- guards against a repository that forgets a filter, not against the app's own connection.

CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_owner() RETURNS text
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT '${flyway:defaultSchema}/' || coalesce(current_setting('app.tenant_id', true), '') || '/'
    || coalesce(current_setting('app.user_id', true), '') || '/' || coalesce(current_setting('app.session_id', true), '')
    || '/'
$$;

-- The member's groups in force derived (scope_groups() reads the tenant's policy again, in the same snapshot) and
-- kept under the name scope_reach reads. scope_groups() has made its memo current, so app.scope_key holds this
-- member's scope_owner() and org_version.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_reach_derived() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
DECLARE
  reach uuid[] := ${flyway:defaultSchema}.scope_groups();
BEGIN
  IF reach IS NOT NULL THEN
    PERFORM set_config('caduceus_reach.m' || md5(current_setting('app.scope_key')), reach::text, false);
  END IF;
  RETURN reach;
END $$;

-- Whether the tenant's policy (its scope, as the policy reads it from access_policy) leaves this statement
-- unconfined: the policy is off, a patient acts for themself (patient_self governs them), or the actor is unconfined
-- or the work is a whole tenant's (app.sees_all). Never null: a setting never set reads as null, and the policy
-- takes a null answer (no policy row) as unconfined. Inlined into the reading statement.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_unconfined(policy_scope text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT policy_scope = 'off' OR nullif(current_setting('app.patient_id', true), '') IS NOT NULL
    OR coalesce(current_setting('app.sees_all', true), '') = 'on'
$$;

-- The groups in force under the tenant's policy (its scope and org_version, which the policy reads from
-- access_policy), or null when the policy confines nothing. Inlined into the reading statement.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_reach(policy_scope text, org_version bigint) RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
  SELECT CASE
    WHEN ${flyway:defaultSchema}.scope_unconfined(policy_scope) THEN NULL
    ELSE coalesce(nullif(current_setting('caduceus_reach.m'
                           || md5(${flyway:defaultSchema}.scope_owner() || org_version), true), '')::uuid[],
                  ${flyway:defaultSchema}.scope_reach_derived())
  END
$$;
