-- Issue 16. A post-visit survey's portal invitation expires with its message (a week after the survey's time): past
-- it, the invitation is neither listed nor answerable. Campaign invitations have no expiry (null), as their messages.
ALTER TABLE ${flyway:defaultSchema}.survey_invitation ADD COLUMN expires_at timestamptz;

-- The invitations made before this column: their message's expiry, found by the link it carries. Row-level security
-- is forced on both tables even for their owner, so the owner lifts it for this migration's transaction only.
ALTER TABLE ${flyway:defaultSchema}.survey_invitation NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.message NO FORCE ROW LEVEL SECURITY;
UPDATE ${flyway:defaultSchema}.survey_invitation i
   SET expires_at = m.expires_at
  FROM ${flyway:defaultSchema}.message m
 WHERE m.tenant_id = i.tenant_id AND m.topic = 'survey.invitation' AND m.expires_at IS NOT NULL
   AND m.variables->>'link' LIKE '%/surveys/' || i.id::text;
ALTER TABLE ${flyway:defaultSchema}.message FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.survey_invitation FORCE ROW LEVEL SECURITY;

-- A tenant's due messages by topic: while a module is off, the dispatcher claims each topic it does not hold from
-- here (MessageSql.CLAIM_DUE_AROUND_HOLDS), so an idle cycle reads no held message however many wait; message_due
-- serves the tenants that hold nothing.
CREATE INDEX message_due_by_topic ON ${flyway:defaultSchema}.message (tenant_id, topic, critical DESC, next_attempt_at)
  WHERE status = 'queued';
