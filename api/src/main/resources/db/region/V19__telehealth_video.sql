-- Telehealth video (issue 12): the video rooms of virtual visits, the tenant's own Twilio Video account, and the
-- join/leave record Twilio's status callbacks report. Names are qualified and every statement may run again (V12).

-- Every room a session opened, at the tenant's provider ('twilio') or in the sandbox ('sandbox'). A unique name
-- ('visit-' || session id, no PHI) has at most one open room; once completed, the name may open a new one.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_video_room (
  tenant_id        uuid NOT NULL,
  room_sid         text NOT NULL,
  room_name        text NOT NULL,
  provider         text NOT NULL CHECK (provider IN ('twilio', 'sandbox')),
  max_participants integer NOT NULL CHECK (max_participants BETWEEN 2 AND 50),
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (tenant_id, room_sid)
);
CREATE UNIQUE INDEX IF NOT EXISTS telehealth_video_room_open ON ${flyway:defaultSchema}.telehealth_video_room
  (tenant_id, room_name) WHERE completed_at IS NULL;
CREATE INDEX IF NOT EXISTS telehealth_video_room_by_name ON ${flyway:defaultSchema}.telehealth_video_room
  (tenant_id, room_name, created_at);

-- The tenant's own Twilio Video account (account sid, API key sid and secret, auth token), sealed under the
-- tenant's data key; summary holds the sids only and is all the API ever shows.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_video_credential (
  tenant_id  uuid PRIMARY KEY,
  sealed     bytea NOT NULL,
  summary    jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid
);

-- What Twilio reported of a room: participant-connected, participant-disconnected, room-ended. A callback Twilio
-- resends carries the same room sid and SequenceNumber and is stored once.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.telehealth_video_event (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  session_id      uuid NOT NULL,
  patient_id      uuid NOT NULL,
  room_sid        text NOT NULL,
  sequence_number integer NOT NULL,
  event           text NOT NULL
                    CHECK (event IN ('participant-connected', 'participant-disconnected', 'room-ended')),
  identity        text,
  participant_sid text,
  occurred_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT telehealth_video_event_once UNIQUE (tenant_id, room_sid, sequence_number),
  CONSTRAINT telehealth_video_event_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES ${flyway:defaultSchema}.telehealth_session (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS telehealth_video_event_by_session ON ${flyway:defaultSchema}.telehealth_video_event
  (tenant_id, session_id, occurred_at, sequence_number);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_video_room;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_video_credential;
DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.telehealth_video_event;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_video_room');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_video_credential');
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.telehealth_video_event', 'patient_id');
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.telehealth_video_room TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${flyway:defaultSchema}.telehealth_video_credential TO ${app_role};
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.telehealth_video_event TO ${app_role};
