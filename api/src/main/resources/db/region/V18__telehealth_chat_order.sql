-- The in-visit chat (issue 12) is read in the order it was written: by session, then (created_at, id), which a
-- keyset page walks from its cursor (Keyset.after). V16's index orders by id only.
-- Names are qualified and every statement may run again (see V12).
CREATE INDEX IF NOT EXISTS telehealth_message_by_session_time ON ${flyway:defaultSchema}.telehealth_message
  (tenant_id, session_id, created_at, id);
