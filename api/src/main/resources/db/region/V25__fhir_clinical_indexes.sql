-- Indexes in the order the FHIR clinical searches read (issue 14): encounter entries and lab results newest first,
-- for the tenant and for one patient, so a search's generic plan walks from its cursor and stops at the page instead
-- of sorting the tenant's (or the patient's) rows. Names are qualified and every statement may run again (see V12).
CREATE INDEX IF NOT EXISTS observation_by_recorded ON ${flyway:defaultSchema}.observation (tenant_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS observation_by_patient ON ${flyway:defaultSchema}.observation (tenant_id, patient_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS diagnosis_by_recorded ON ${flyway:defaultSchema}.diagnosis (tenant_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS diagnosis_by_patient_recorded ON ${flyway:defaultSchema}.diagnosis (tenant_id, patient_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS procedure_by_recorded ON ${flyway:defaultSchema}.procedure_performed (tenant_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS procedure_by_patient ON ${flyway:defaultSchema}.procedure_performed (tenant_id, patient_id, recorded_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS lab_result_by_resulted ON ${flyway:defaultSchema}.lab_result (tenant_id, resulted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS lab_result_by_patient_resulted ON ${flyway:defaultSchema}.lab_result (tenant_id, patient_id, resulted_at DESC, id DESC);
