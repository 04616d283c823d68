-- What the sandbox provider was asked to do, as a provider's own ledger: one row for each send it accepted and for
-- each look-up it answered, committed before it answers. The message row keeps only the final state; these rows
-- let a test or an operator count the sends a message really got, a repeat after a crash included. They hold no
-- words and no address (the message row has those), and no secret.
CREATE TABLE sandbox_attempt (
  tenant_id    uuid NOT NULL,
  message_id   uuid NOT NULL,
  id           uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('send', 'look_up')),
  channel      text NOT NULL CHECK (channel IN ('push', 'sms', 'email')),
  -- What the provider sees of the message's idempotency key: FCM's collapse key and tag, the email's Message-ID.
  provider_key text NOT NULL CHECK (length(provider_key) BETWEEN 1 AND 200),
  outcome      text NOT NULL CHECK (outcome IN ('accepted', 'found', 'not_found')),
  -- A look-up that found an earlier send: that send's id.
  found_id     uuid,
  at           timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, message_id, id)
);

ALTER TABLE sandbox_attempt ENABLE ROW LEVEL SECURITY;
ALTER TABLE sandbox_attempt FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sandbox_attempt
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- A provider's ledger is append-only.
GRANT SELECT, INSERT ON sandbox_attempt TO ${app_role};
