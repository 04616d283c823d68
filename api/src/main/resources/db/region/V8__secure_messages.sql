-- Secure messages between a clinic and its patient, kept in the clinic's tenant. A message to the patient puts a
-- message.received notice in the outbox (same transaction), which the engagement engine turns into "you have a
-- new secure message" on the patient's channels, never the text.
CREATE TABLE secure_message (
  tenant_id      uuid NOT NULL,
  id             uuid NOT NULL,
  patient_id     uuid NOT NULL,
  direction      text NOT NULL CHECK (direction IN ('to_patient', 'from_patient')),
  sender_user_id uuid NOT NULL,
  sender_name    text NOT NULL,
  subject        text NOT NULL,
  body           text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id)
);
CREATE INDEX secure_message_by_patient ON secure_message (tenant_id, patient_id, created_at DESC, id DESC);

ALTER TABLE secure_message ENABLE ROW LEVEL SECURITY;
ALTER TABLE secure_message FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secure_message
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY patient_self ON secure_message AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);
GRANT SELECT, INSERT ON secure_message TO ${app_role};
