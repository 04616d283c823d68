-- The FHIR facade searches a tenant's fills (MedicationDispense) as the other listings are read: by the time they
-- were dispensed, and by patient, each in keyset order, so a page walks from its cursor and stops (see V20).
-- Names are qualified and every statement may run again (see V12).
CREATE INDEX IF NOT EXISTS dispense_by_dispensed ON ${flyway:defaultSchema}.dispense (tenant_id, dispensed_at, id);
CREATE INDEX IF NOT EXISTS dispense_by_patient ON ${flyway:defaultSchema}.dispense (tenant_id, patient_id, dispensed_at, id);
