-- Patient name search under row-level security. LIKE and lower() are not leakproof, so PostgreSQL does not let them
-- choose rows ahead of the tenant policy: for the app role, neither the trigram index nor the keyset bound can drive
-- a name search, which reads every live patient of the tenant. These make that read cheap:
-- 1. the keyset index also holds the names, so a search walks it in page order without reading the table (an
--    index-only scan) and stops at the end of the page; only the page's rows are read (PatientSql.SEARCH);
-- 2. the trigram index goes: it can serve no search of the app role, costs every write, and its tenant_id column
--    drew the planner to a bitmap scan that reads every row of the tenant and sorts them;
-- 3. the patient_self policy reads app.patient_id once per statement, not once per row (keep_to_patient).
-- Every statement may run again (see V12).
DROP INDEX IF EXISTS ${flyway:defaultSchema}.patient_by_family;
CREATE INDEX patient_by_family ON ${flyway:defaultSchema}.patient (tenant_id, lower(family_name), id)
  INCLUDE (family_name, search_text) WHERE deleted_at IS NULL;
DROP INDEX IF EXISTS ${flyway:defaultSchema}.patient_by_name_words;

SELECT ${flyway:defaultSchema}.keep_to_patient('${flyway:defaultSchema}.patient', 'id');
