-- The same migrations also build a tenant's own schema (the schema tier). Pin each due-work function's search
-- path to the schema it was created in, so a tenant schema's function scans that schema's tables.
-- Names are qualified: a tenant schema's migrations run with public later on the search path (the extensions live
-- there), and an unqualified name missing from the tenant schema would reach the shared tables' object instead.
ALTER FUNCTION ${flyway:defaultSchema}.outbox_due_tenants(text[]) SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION ${flyway:defaultSchema}.message_due_tenants(timestamptz) SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION ${flyway:defaultSchema}.crm_due_tenants(timestamptz) SET search_path = ${flyway:defaultSchema}, pg_temp;
