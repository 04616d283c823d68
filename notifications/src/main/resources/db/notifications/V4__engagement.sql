-- The engagement engine: what each tenant allows, what each patient wants, where their devices are, and every
-- message with its history. Every table is a tenant table (tenant_id first in every key, RLS forced).

-- A tenant's delivery rules. No row means the defaults in EngagementSettings.
CREATE TABLE engagement_settings (
  tenant_id           uuid PRIMARY KEY,
  time_zone           text NOT NULL,
  quiet_start         time NOT NULL,
  quiet_end           time NOT NULL,
  daily_cap           integer NOT NULL CHECK (daily_cap BETWEEN 0 AND 100),
  critical_categories text[] NOT NULL,
  reminder_offsets    integer[] NOT NULL,
  follow_up_days      integer CHECK (follow_up_days BETWEEN 1 AND 365),
  refill_lead_days    integer CHECK (refill_lead_days BETWEEN 0 AND 30),
  survey_delay_hours  integer CHECK (survey_delay_hours BETWEEN 0 AND 720),
  default_locale      text NOT NULL,
  channel_variables   jsonb NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A patient's choices. sms_stopped_at is set by an inbound STOP (or a provider's "unsubscribed" answer) and cleared
-- by START; it wins over channel_order.
CREATE TABLE notification_preference (
  tenant_id            uuid NOT NULL,
  patient_id           uuid NOT NULL,
  channel_order        text[] NOT NULL,
  opted_out_channels   text[] NOT NULL DEFAULT '{}',
  opted_out_categories text[] NOT NULL DEFAULT '{}',
  time_zone            text,
  locale               text,
  sms_stopped_at       timestamptz,
  version              integer NOT NULL DEFAULT 1,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, patient_id)
);

-- FCM registration tokens of the patient app. A token belongs to one patient at a time: the last to register it.
CREATE TABLE device (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  patient_id    uuid NOT NULL,
  token         text NOT NULL CHECK (length(token) BETWEEN 1 AND 4096),
  platform      text NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token)
);
CREATE INDEX device_by_patient ON device (tenant_id, patient_id);

-- A tenant's wording of a topic on a channel in a locale; without one, the shipped default applies.
CREATE TABLE message_template (
  tenant_id   uuid NOT NULL,
  topic       text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('push', 'sms', 'email')),
  locale      text NOT NULL,
  subject     text,
  body        text NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, topic, channel, locale)
);

-- A tenant's own provider account for a channel, sealed under the tenant's data key. summary holds what may be
-- shown (account sid, sender, project id), never a secret.
CREATE TABLE provider_credential (
  tenant_id   uuid NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('push', 'sms', 'email')),
  sealed      bytea NOT NULL,
  summary     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel)
);

-- One message to one recipient. idempotency_key is derived from the cause (the outbox event, the reminder's
-- appointment and offset, the campaign run), so a cause produces a message once however often it is seen.
-- attempt_id fences a send: only the dispatcher that marked the message 'sending' with it may record the outcome.
CREATE TABLE message (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  idempotency_key     text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  topic               text NOT NULL,
  category            text NOT NULL,
  source              text NOT NULL CHECK (source IN ('event', 'reminder', 'campaign', 'survey')),
  subject_ref         text,
  recipient_kind      text NOT NULL CHECK (recipient_kind IN ('patient', 'staff')),
  recipient_id        uuid NOT NULL,
  variables           jsonb NOT NULL DEFAULT '{}',
  critical            boolean NOT NULL DEFAULT false,
  status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'delivered',
                        'undelivered', 'failed', 'dead', 'suppressed', 'expired', 'cancelled')),
  channel             text CHECK (channel IN ('push', 'sms', 'email', 'sandbox')),
  gone_channels       text[] NOT NULL DEFAULT '{}',
  attempts            integer NOT NULL DEFAULT 0,
  attempt_id          uuid,
  sending_since       timestamptz,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  lease_until         timestamptz,
  expires_at          timestamptz,
  provider            text,
  provider_message_id text,
  address_hint        text,
  content             jsonb,
  last_error          text,
  campaign_id         uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX message_due ON message (tenant_id, critical DESC, next_attempt_at) WHERE status = 'queued';
CREATE INDEX message_leased ON message (tenant_id, lease_until) WHERE status = 'sending';
CREATE INDEX message_by_recipient ON message (tenant_id, recipient_id, sending_since);
CREATE INDEX message_by_subject ON message (tenant_id, subject_ref) WHERE subject_ref IS NOT NULL;
CREATE INDEX message_by_provider_id ON message (tenant_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX message_listing ON message (tenant_id, created_at DESC, id DESC);

-- What happened to a message, in order: queued, deferred (and why), sending, sent, delivered, failed, requeued.
CREATE TABLE message_event (
  tenant_id   uuid NOT NULL,
  message_id  uuid NOT NULL,
  id          uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL,
  channel     text,
  detail      text,
  PRIMARY KEY (tenant_id, message_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['engagement_settings', 'notification_preference', 'device', 'message_template',
                           'provider_credential', 'message', 'message_event'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I'
      || ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
      || ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
  END LOOP;
END $$;

-- A patient acting for themself reaches only their own devices and preferences, even if a service forgot to filter.
CREATE POLICY patient_self ON device AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);
CREATE POLICY patient_self ON notification_preference AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON engagement_settings, notification_preference, device, message_template,
  provider_credential TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON message TO ${app_role};
GRANT SELECT, INSERT ON message_event TO ${app_role};

-- The dispatcher finds tenants with due messages without reading any tenant's rows (as outbox_due_tenants does).
CREATE POLICY scanner_reads ON message FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON message TO ${scanner_role};

CREATE INDEX message_open ON message (tenant_id) WHERE status IN ('queued', 'sending');
CREATE FUNCTION message_due_tenants(at timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM message WHERE status IN ('queued', 'sending') ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT m.tenant_id FROM message m
            WHERE m.status IN ('queued', 'sending') AND m.tenant_id > t.tenant_id ORDER BY m.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id FROM tenants t
  WHERE t.tenant_id IS NOT NULL
    AND (EXISTS (SELECT 1 FROM message m
                 WHERE m.tenant_id = t.tenant_id AND m.status = 'queued' AND m.next_attempt_at <= at)
      OR EXISTS (SELECT 1 FROM message m
                 WHERE m.tenant_id = t.tenant_id AND m.status = 'sending' AND m.lease_until < at))
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION message_due_tenants(timestamptz) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION message_due_tenants(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION message_due_tenants(timestamptz) TO ${app_role};
