-- Telehealth (issue 12): virtual visits, their sessions and the chat inside them. A virtual appointment has one
-- session, created with it; the session's own lifecycle (scheduled, waiting, in_progress, ended, no_show,
-- cancelled) runs beside the appointment's. Ending a session marks the visit's encounter as telehealth, and the
-- charges priced from it carry the telehealth place of service and modifier 95.
-- Names are qualified and every statement may run again (see V12).

ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS modality text NOT NULL DEFAULT 'in_person';
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_modality;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_modality
  CHECK (modality IN ('in_person', 'virtual'));

ALTER TABLE ${flyway:defaultSchema}.encounter ADD COLUMN IF NOT EXISTS modality text NOT NULL DEFAULT 'in_person';
ALTER TABLE ${flyway:defaultSchema}.encounter DROP CONSTRAINT IF EXISTS encounter_modality;
ALTER TABLE ${flyway:defaultSchema}.encounter ADD CONSTRAINT encounter_modality
  CHECK (modality IN ('in_person', 'virtual'));

-- The CMS place-of-service code of a charge ('11' office, '02' telehealth elsewhere, '10' telehealth in the
-- patient's home; null for charges priced before this column) and its CPT modifiers ('95': synchronous telehealth).
ALTER TABLE ${flyway:defaultSchema}.charge ADD COLUMN IF NOT EXISTS place_of_service text;
ALTER TABLE ${flyway:defaultSchema}.charge ADD COLUMN IF NOT EXISTS modifiers text[] NOT NULL DEFAULT '{}';

-- One row per tenant that changed the defaults. Virtual visits are off until the tenant turns them on.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_settings (
  tenant_id             uuid PRIMARY KEY,
  virtual_visits        boolean NOT NULL DEFAULT false,
  check_in_lead_minutes integer NOT NULL DEFAULT 15 CHECK (check_in_lead_minutes BETWEEN 0 AND 240),
  max_participants      integer NOT NULL DEFAULT 2 CHECK (max_participants BETWEEN 2 AND 10),
  colleagues_may_admit  boolean NOT NULL DEFAULT false,
  version               integer NOT NULL DEFAULT 1,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  updated_by            uuid
);

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_session (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  appointment_id   uuid NOT NULL,
  patient_id       uuid NOT NULL,
  practitioner_id  uuid NOT NULL,
  status           text NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'waiting', 'in_progress', 'ended', 'no_show', 'cancelled')),
  -- Where the patient joins from, declared at check-in: 'home' (place of service 10) or 'elsewhere' (02).
  patient_location text CHECK (patient_location IN ('home', 'elsewhere')),
  max_participants integer NOT NULL,
  -- The video room: unique name 'visit-' || id (no PHI), the provider ('twilio' or 'sandbox') and its room sid.
  room_name        text NOT NULL,
  video_provider   text,
  room_sid         text,
  checked_in_at    timestamptz,
  admitted_at      timestamptz,
  admitted_by      uuid,
  ended_at         timestamptz,
  ended_by         uuid,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT telehealth_session_one_per_appointment UNIQUE (tenant_id, appointment_id),
  CONSTRAINT telehealth_session_appointment_fk FOREIGN KEY (tenant_id, appointment_id)
    REFERENCES ${flyway:defaultSchema}.appointment (tenant_id, id),
  CONSTRAINT telehealth_session_patient_fk FOREIGN KEY (tenant_id, patient_id)
    REFERENCES ${flyway:defaultSchema}.patient (tenant_id, id),
  CONSTRAINT telehealth_session_practitioner_fk FOREIGN KEY (tenant_id, practitioner_id)
    REFERENCES ${flyway:defaultSchema}.practitioner (tenant_id, id)
);
-- The waiting rooms: a clinician's, and the tenant's for the front desk, in order of arrival.
CREATE INDEX IF NOT EXISTS telehealth_waiting_by_practitioner ON ${flyway:defaultSchema}.telehealth_session
  (tenant_id, practitioner_id, checked_in_at, id) WHERE status = 'waiting';
CREATE INDEX IF NOT EXISTS telehealth_waiting ON ${flyway:defaultSchema}.telehealth_session
  (tenant_id, checked_in_at, id) WHERE status = 'waiting';
CREATE INDEX IF NOT EXISTS telehealth_session_by_patient ON ${flyway:defaultSchema}.telehealth_session
  (tenant_id, patient_id, id);

-- The in-visit chat. client_id is the sender's own id for a message, so a resent message is stored once.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_message (
  tenant_id      uuid NOT NULL,
  id             uuid NOT NULL,
  session_id     uuid NOT NULL,
  patient_id     uuid NOT NULL,
  sender_user_id uuid NOT NULL,
  sender_role    text NOT NULL CHECK (sender_role IN ('patient', 'clinician')),
  sender_name    text NOT NULL,
  client_id      text NOT NULL,
  body           text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT telehealth_message_once UNIQUE (tenant_id, session_id, sender_user_id, client_id),
  CONSTRAINT telehealth_message_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES ${flyway:defaultSchema}.telehealth_session (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS telehealth_message_by_session ON ${flyway:defaultSchema}.telehealth_message
  (tenant_id, session_id, id);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_settings;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_session;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_message;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_settings');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_session', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_message', 'patient_id');
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.telehealth_settings, ${flyway:defaultSchema}.telehealth_session
  TO ${app_role};
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.telehealth_message TO ${app_role};
