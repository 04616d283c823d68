-- Telehealth guests (issue 12): who a virtual visit's clinician invited besides the patient, within the tenant's
-- maxParticipants: a staff member of the tenant (by user id), or an external guest without an account (an
-- interpreter, a family member, a caregiver) who joins with a single-use code. Codes and the keys they are
-- exchanged for are stored only as SHA-256 hashes. Names are qualified and every statement may run again (V12).

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_guest (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  session_id      uuid NOT NULL,
  patient_id      uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('staff', 'interpreter', 'family', 'caregiver', 'other')),
  -- A staff guest's user; null for an external guest.
  user_id         uuid,
  display_name    text NOT NULL,
  -- An external guest's join code (hash), until when it may be exchanged, when it was, and the key it gave.
  code_hash       bytea,
  code_expires_at timestamptz,
  redeemed_at     timestamptz,
  key_hash        bytea,
  invited_by      uuid NOT NULL,
  invited_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_by      uuid,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT telehealth_guest_staff_or_code CHECK ((kind = 'staff') = (user_id IS NOT NULL)
    AND (kind = 'staff') = (code_hash IS NULL)),
  CONSTRAINT telehealth_guest_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES ${flyway:defaultSchema}.telehealth_session (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS telehealth_guest_by_session ON ${flyway:defaultSchema}.telehealth_guest
  (tenant_id, session_id, invited_at, id);
CREATE UNIQUE INDEX IF NOT EXISTS telehealth_guest_code ON ${flyway:defaultSchema}.telehealth_guest
  (tenant_id, code_hash) WHERE code_hash IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS telehealth_guest_key ON ${flyway:defaultSchema}.telehealth_guest
  (tenant_id, key_hash) WHERE key_hash IS NOT NULL;
-- A staff member is a guest of a session once at a time.
CREATE UNIQUE INDEX IF NOT EXISTS telehealth_guest_staff_once ON ${flyway:defaultSchema}.telehealth_guest
  (tenant_id, session_id, user_id) WHERE user_id IS NOT NULL AND revoked_at IS NULL;

-- Participants the API asked the video provider to disconnect (a revoked guest), Twilio's or the sandbox's.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_video_disconnect (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  provider     text NOT NULL CHECK (provider IN ('twilio', 'sandbox')),
  room_sid     text NOT NULL,
  identity     text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS telehealth_video_disconnect_by_room ON ${flyway:defaultSchema}.telehealth_video_disconnect
  (tenant_id, room_sid, requested_at);

-- A staff guest writes in the visit's chat as 'staff'.
ALTER TABLE ${flyway:defaultSchema}.telehealth_message DROP CONSTRAINT IF EXISTS telehealth_message_sender_role_check;
ALTER TABLE ${flyway:defaultSchema}.telehealth_message ADD CONSTRAINT telehealth_message_sender_role_check
  CHECK (sender_role IN ('patient', 'clinician', 'staff'));

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_guest;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_video_disconnect;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_guest', 'patient_id');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_video_disconnect');
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.telehealth_guest TO ${app_role};
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.telehealth_video_disconnect TO ${app_role};
