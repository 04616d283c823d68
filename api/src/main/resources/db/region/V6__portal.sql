-- "Who looked at my record": a patient's accesses are found by patient id within a tenant, not by scanning the
-- tenant's whole trail. (btree_gin lets tenant_id lead the index, as on every tenant table.)
CREATE INDEX audit_event_by_patient ON audit_event USING gin (tenant_id, patient_ids);
