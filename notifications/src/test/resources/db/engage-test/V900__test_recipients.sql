-- The people the engine tests reach: a real tenant table (RLS forced), standing in for the API module's patient
-- and practitioner tables, which the engine reads only through the Recipients interface.
CREATE TABLE test_recipient (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  kind       text NOT NULL,
  given_name text,
  phone      text,
  email      text,
  locale     text,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE test_recipient ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_recipient FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_recipient
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON test_recipient TO ${app_role};
