-- Patient name search proportional to its matches. Under row-level security LIKE and lower() are not leakproof, so
-- no index can take a name search of the app role past the tenant policy, and V13's search still walks every live
-- patient of the tenant. A range comparison of a plain text column is leakproof (text_ge, text_lt), so it can:
-- patient_name_word holds each word of every live patient's name, keyed (tenant_id, word, patient_id), and a search
-- reads the patients whose words start with its first word through that key (PatientSql.SEARCH_BY_WORD).
-- EXPLAIN (ANALYZE, BUFFERS) of the generic plan as the app role, a tenant of 2,000 patients, prefix 'family100'
-- (11 matches): before, an index-only walk of all 2,000 entries (1,989 removed by the filter), 42 buffers, 0.25-0.30
-- ms; after, 11 word entries and 11 patient rows, 36 buffers, 0.08 ms ('family1234', one match: 6 buffers). A
-- bound pair, not starts_with(word, $1): PostgreSQL 15 turns starts_with into index bounds only for a constant, so
-- its generic plan walked every patient again. The cost now follows the matches: a prefix matching all 2,000 reads
-- 2,000 rows (10 ms), where the walk stopped after the page.
-- Names are qualified and every statement may run again (see V12).

-- The words LIKE '% w%' finds in search_text (' ' || lower(family_name) || ' ' || coalesce(lower(given_name), '')):
-- every non-empty space-separated word, once. One definition for the trigger and the backfill.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.patient_name_words(family_name text, given_name text)
  RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT w FROM unnest(string_to_array(lower(family_name) || ' ' || coalesce(lower(given_name), ''), ' ')) w
  WHERE w <> ''
$$;

-- COLLATE "C": the key orders words by code point, so a prefix is one contiguous range whatever the database's
-- collation, and the search's bounds (PatientSearch.firstWordEnd) are computed in that order.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.patient_name_word (
  tenant_id  uuid NOT NULL,
  word       text COLLATE "C" NOT NULL,
  patient_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, word, patient_id),
  CONSTRAINT patient_name_word_patient_fk FOREIGN KEY (tenant_id, patient_id)
    REFERENCES ${flyway:defaultSchema}.patient (tenant_id, id) ON DELETE CASCADE
);
-- For the trigger's delete and the cascade when patients are deleted (a tenant's move, offboarding).
CREATE INDEX IF NOT EXISTS patient_name_word_by_patient
  ON ${flyway:defaultSchema}.patient_name_word (tenant_id, patient_id);
-- TenantRows reads this mark: a derived table is not copied, exported or restored, since the trigger below rebuilds
-- it from the patient rows as they are inserted (a copy would collide with those rows).
COMMENT ON TABLE ${flyway:defaultSchema}.patient_name_word IS
  'derived: the words of each live patient''s name, kept by the patient_name_words triggers on patient';

-- Runs as the caller: the app role (or the owner moving a tenant) writes patients with its tenant set, so the word
-- rows pass the same policies as the patient row.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.keep_patient_name_words() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM ${flyway:defaultSchema}.patient_name_word WHERE tenant_id = OLD.tenant_id AND patient_id = OLD.id;
  END IF;
  IF NEW.deleted_at IS NULL THEN
    INSERT INTO ${flyway:defaultSchema}.patient_name_word (tenant_id, word, patient_id)
    SELECT NEW.tenant_id, w, NEW.id FROM ${flyway:defaultSchema}.patient_name_words(NEW.family_name, NEW.given_name) w;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS patient_name_words_on_insert ON ${flyway:defaultSchema}.patient;
CREATE TRIGGER patient_name_words_on_insert AFTER INSERT ON ${flyway:defaultSchema}.patient
  FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION ${flyway:defaultSchema}.keep_patient_name_words();
DROP TRIGGER IF EXISTS patient_name_words_on_update ON ${flyway:defaultSchema}.patient;
CREATE TRIGGER patient_name_words_on_update
  AFTER UPDATE OF family_name, given_name, deleted_at ON ${flyway:defaultSchema}.patient
  FOR EACH ROW WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name OR OLD.given_name IS DISTINCT FROM NEW.given_name
    OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION ${flyway:defaultSchema}.keep_patient_name_words();

-- The patients there are now. Row-level security is forced on the owner too, so it is lifted for the backfill and
-- forced again below (the triggers' lock on patient keeps writers out until this migration commits).
ALTER TABLE ${flyway:defaultSchema}.patient NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient_name_word NO FORCE ROW LEVEL SECURITY;
INSERT INTO ${flyway:defaultSchema}.patient_name_word (tenant_id, word, patient_id)
SELECT p.tenant_id, w, p.id
FROM ${flyway:defaultSchema}.patient p, ${flyway:defaultSchema}.patient_name_words(p.family_name, p.given_name) w
WHERE p.deleted_at IS NULL
ON CONFLICT DO NOTHING;

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.patient_name_word;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.patient_name_word', 'patient_id');
GRANT SELECT, INSERT, DELETE ON ${flyway:defaultSchema}.patient_name_word TO ${app_role};
ALTER TABLE ${flyway:defaultSchema}.patient FORCE ROW LEVEL SECURITY;
