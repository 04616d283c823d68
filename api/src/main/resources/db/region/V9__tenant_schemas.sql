-- The same migrations also build a tenant's own schema (the schema tier). The functions that find tenants with due
-- work run as their owner with a pinned search path; pin it to the schema they were created in, so a tenant
-- schema's function scans that schema's tables. In the shared tables this is the schema they already had.
ALTER FUNCTION audit_unsealed_tenants() SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION reminder_tenants(timestamptz, integer) SET search_path = ${flyway:defaultSchema}, pg_temp;
