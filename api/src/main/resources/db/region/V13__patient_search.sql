-- Patient name search under row-level security. LIKE and lower() are not leakproof, so PostgreSQL may not use them to
-- find rows ahead of the tenant policy: neither the trigram index nor a keyset bound can drive a search of the app
-- role, and a name search reads every live patient of the tenant. These make that read cheap:
-- 1. the keyset index also holds the names, so the search walks it in page order without reading the table (an
--    index-only scan) and stops at the end of the page; only the page's rows are then read (PatientSql.SEARCH);
-- 2. the patient_self policy reads app.patient_id once per statement rather than once per row (keep_to_patient).
-- Every statement may run again (see V12).
DROP INDEX IF EXISTS ${flyway:defaultSchema}.patient_by_family;
CREATE INDEX patient_by_family ON ${flyway:defaultSchema}.patient (tenant_id, lower(family_name), id)
  INCLUDE (family_name, search_text) WHERE deleted_at IS NULL;

SELECT ${flyway:defaultSchema}.keep_to_patient('${flyway:defaultSchema}.patient', 'id');
