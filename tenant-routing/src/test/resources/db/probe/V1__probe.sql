-- Tenant tables used only by tenant-routing's own tests, secured by the same functions as every PHI table: probe
-- holds rows about patients, probe_job is work a background job finds through a function of the scanner role's
-- (which tenants have some, and nothing else).
CREATE TABLE ${flyway:defaultSchema}.probe (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  patient_id uuid,
  note       text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.probe', 'patient_id');
GRANT SELECT, INSERT, UPDATE, DELETE ON ${flyway:defaultSchema}.probe TO ${app_role};

CREATE TABLE ${flyway:defaultSchema}.probe_job (
  tenant_id uuid NOT NULL,
  id        uuid NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.probe_job');
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.probe_job TO ${app_role};
SELECT ${flyway:defaultSchema}.grant_scanner_reads('${flyway:defaultSchema}.probe_job', '${scanner_role}');
CREATE FUNCTION ${flyway:defaultSchema}.probe_job_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
  SELECT DISTINCT tenant_id FROM probe_job
$$;
SELECT ${flyway:defaultSchema}.hand_to_scanner('${flyway:defaultSchema}.probe_job_tenants()', '${scanner_role}',
  '${app_role}');
