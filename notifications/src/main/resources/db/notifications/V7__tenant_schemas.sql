-- The same migrations also build a tenant's own schema (the schema tier). Pin each due-work function's search
-- path to the schema it was created in, so a tenant schema's function scans that schema's tables.
ALTER FUNCTION outbox_due_tenants(text[]) SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION message_due_tenants(timestamptz) SET search_path = ${flyway:defaultSchema}, pg_temp;
ALTER FUNCTION crm_due_tenants(timestamptz) SET search_path = ${flyway:defaultSchema}, pg_temp;
