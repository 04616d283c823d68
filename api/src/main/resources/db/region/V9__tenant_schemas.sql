-- The same migrations also build a tenant's own schema (the schema tier). The functions that find tenants with due
-- work run as their owner with a pinned search path; pin it to the schema they were created in, so a tenant
-- schema's function scans that schema's tables. In the shared tables this is the schema they already had.
-- Names are qualified: a tenant schema's migrations run with public later on the search path (the extensions live
-- there), and an unqualified name missing from the tenant schema would reach the shared tables' object instead.
ALTER FUNCTION ${flyway:defaultSchema}.audit_unsealed_tenants() SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION ${flyway:defaultSchema}.reminder_tenants(timestamptz, integer) SET search_path = ${flyway:defaultSchema}, pg_temp;
