-- Details of the journey schema found while building on it.

-- Entries recorded in error may be removed while their encounter is still open (the service refuses once it is
-- signed; after that only addenda correct the record). The removal is audited like any change.
GRANT DELETE ON observation, diagnosis, procedure_performed TO ${app_role};

-- Orders and prescriptions name their ordering practitioner's NPI, as a lab requisition or an e-prescription must.
ALTER TABLE lab_order ADD COLUMN orderer_npi text;
ALTER TABLE prescription ADD COLUMN prescriber_npi text;
