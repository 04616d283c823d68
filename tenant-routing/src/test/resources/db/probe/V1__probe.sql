-- A tenant table used only by tenant-routing's own tests, with the same RLS policy as every PHI table.
CREATE TABLE probe (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  patient_id uuid,
  note       text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE probe ENABLE ROW LEVEL SECURITY;
ALTER TABLE probe FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON probe
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY patient_scope ON probe AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON probe TO ${app_role};
