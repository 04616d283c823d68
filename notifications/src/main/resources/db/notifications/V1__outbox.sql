-- The transactional outbox: a domain write and the message it triggers commit together.
-- The engagement engine claims pending rows with FOR UPDATE SKIP LOCKED; rows with the same ordering key are
-- delivered in (txid, id) order, which is commit order for rows of different transactions.
CREATE TABLE outbox_event (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  topic           text NOT NULL CHECK (topic ~ '^[a-z][a-z0-9_.-]{1,99}$'),
  ordering_key    text NOT NULL,
  payload         jsonb NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dispatched', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at   timestamptz,
  last_error      text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_event_pending ON outbox_event (tenant_id, next_attempt_at, txid, id) WHERE status = 'pending';
CREATE INDEX outbox_event_ordering ON outbox_event (tenant_id, ordering_key, txid, id);

ALTER TABLE outbox_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_event
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON outbox_event TO ${app_role};
