-- Break-glass (issue 15) on V31's emergency_access: the audit marker of what was done under an emergency access,
-- the existence check a scoped clinician needs before opening one, and the grant's own immutability.

-- Why an event happened, when not in the actor's ordinary course: 'emergency_access' marks an event of a user who
-- held an emergency access to one of the event's patients when the event was written (AuditSql.INSERT decides it).
-- Hashed into the chain (AuditChain), so the marker cannot be added or removed unseen. Null for every other row,
-- whose links are computed exactly as before.
ALTER TABLE ${flyway:defaultSchema}.audit_event ADD COLUMN IF NOT EXISTS purpose text
  CHECK (purpose IN ('emergency_access'));
-- The break-glass report reads a grant's marked events by actor and time; few rows carry a purpose.
CREATE INDEX IF NOT EXISTS audit_event_by_purpose ON ${flyway:defaultSchema}.audit_event
  (tenant_id, actor_user_id, occurred_at, id) WHERE purpose IS NOT NULL;

-- Whether the tenant in force (app.tenant_id) has a live patient with this id. Under the scoped access policy a
-- clinician outside the patient's facilities and care teams cannot see the row; opening emergency access must still
-- tell an existing patient (open it) from none (404). The function runs as its owner, whom the org_scope policy
-- does not confine, answers only a boolean, and only for the tenant in force: it is no oracle across tenants.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_on_record(tenant uuid, patient uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
  SELECT tenant = nullif(current_setting('app.tenant_id', true), '')::uuid
     AND EXISTS (SELECT 1 FROM ${flyway:defaultSchema}.patient p
                  WHERE p.tenant_id = tenant AND p.id = patient AND p.deleted_at IS NULL)
$$;
REVOKE ALL ON FUNCTION ${flyway:defaultSchema}.patient_on_record(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${flyway:defaultSchema}.patient_on_record(uuid, uuid) TO ${app_role};

-- A grant is evidence: once written, the app role may only set its end (once). The app role may UPDATE
-- emergency_access (to end a grant), so the rule is the database's, not only the service's; the owner (migrations,
-- tier moves, an operator's repair) is not bound by it.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.emergency_access_only_ends() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF current_user <> '${app_role}' THEN
    RETURN NEW;
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.user_id, NEW.patient_id, NEW.reason, NEW.granted_at, NEW.expires_at)
      IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.user_id, OLD.patient_id, OLD.reason, OLD.granted_at, OLD.expires_at)
      OR OLD.ended_at IS NOT NULL THEN
    RAISE EXCEPTION 'an emergency access only ends, once' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS emergency_access_only_ends ON ${flyway:defaultSchema}.emergency_access;
CREATE TRIGGER emergency_access_only_ends BEFORE UPDATE ON ${flyway:defaultSchema}.emergency_access
  FOR EACH ROW EXECUTE FUNCTION ${flyway:defaultSchema}.emergency_access_only_ends();
