-- Imported records through the FHIR facade (issue 14): Condition, Observation and MedicationRequest searches list the
-- records imported from a tenant's legacy EHR with the native ones, in the order the facade pages (the time the
-- record came to be held here, then its id). Names are qualified and every statement may run again (see V12).

-- The version of our copy: 1 when imported, one more each time a newer remote version replaces it (meta.versionId
-- and the ETag of the facade's read; the remote's own versionId stays in version_id).
ALTER TABLE ${flyway:defaultSchema}.ehr_import_record ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1;

-- A whole tenant's imported records of one type in listing order (a search without patient); a patient's are read
-- through ehr_import_record_by_patient (tenant_id, patient_id, resource_type, imported_at, id).
CREATE INDEX IF NOT EXISTS ehr_import_record_by_type ON ${flyway:defaultSchema}.ehr_import_record
  (tenant_id, resource_type, imported_at, id);

-- A FHIR date, dateTime or instant (text of a stored resource) as an instant, for date searches over imported
-- records: a partial date stands for its first instant (UTC), anything else (a malformed value a lenient source
-- sent) is null, so it matches no date range rather than failing the search.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.fhir_instant(value text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
  IF value ~ '^\d{4}$' THEN
    RETURN (value || '-01-01T00:00:00Z')::timestamptz;
  ELSIF value ~ '^\d{4}-\d{2}$' THEN
    RETURN (value || '-01T00:00:00Z')::timestamptz;
  ELSIF value ~ '^\d{4}-\d{2}-\d{2}$' THEN
    RETURN (value || 'T00:00:00Z')::timestamptz;
  ELSIF value ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$' THEN
    RETURN value::timestamptz;
  END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$fn$;
GRANT EXECUTE ON FUNCTION ${flyway:defaultSchema}.fhir_instant(text) TO ${app_role};
