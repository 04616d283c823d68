-- Closing departments and care teams (issue 15). A closed department or care team keeps its rows, its members and
-- its patients (history), but no longer puts anyone in scope: scope_groups() below leaves it out, so its members see
-- its patients no more from their next statement on, a session that had chosen it as its active group sees nothing
-- through it, and a grant limited to it stops applying (GroupsInForce leaves it out alike). A closed facility still
-- scopes its staff to its patients, as before (V31): the patients registered at a site remain its patients.
-- Otherwise as V31's scope_groups().
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.scope_groups() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  chosen_session uuid := nullif(current_setting('app.session_id', true), '')::uuid;
  policy ${flyway:defaultSchema}.access_policy;
  groups uuid[];
BEGIN
  IF nullif(current_setting('app.patient_id', true), '') IS NOT NULL
      OR current_setting('app.sees_all', true) = 'on' THEN
    RETURN NULL;
  END IF;
  SELECT * INTO policy FROM ${flyway:defaultSchema}.access_policy p WHERE p.tenant_id = tenant;
  IF NOT FOUND OR policy.scope = 'off' THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(array_agg(DISTINCT CASE WHEN g.kind = 'department' THEN d.facility_id ELSE g.group_id END), '{}')
    INTO groups
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
  RETURN groups;
END $$;
