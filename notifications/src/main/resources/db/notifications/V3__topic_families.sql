-- A relay takes one topic family (the topic's first segment: "exchange" of "exchange.lab_order.placed"). With the
-- family as a column and in the pending indexes, finding a family's due messages reads only that family's rows:
-- a backlog of another family (a campaign of 100,000 reminders, say) no longer slows cross-tenant exchange.
ALTER TABLE outbox_event ADD COLUMN family text GENERATED ALWAYS AS (split_part(topic, '.', 1)) STORED;
CREATE INDEX outbox_event_family_due ON outbox_event (tenant_id, family, txid, id) WHERE status = 'pending';
CREATE INDEX outbox_event_family_order ON outbox_event (tenant_id, family, ordering_key, txid, id)
  WHERE status = 'pending';

DROP FUNCTION outbox_due_tenants(text);
CREATE FUNCTION outbox_due_tenants(topic_family text) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM outbox_event WHERE status = 'pending' ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.tenant_id FROM outbox_event e
            WHERE e.status = 'pending' AND e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id FROM tenants t
  WHERE t.tenant_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM outbox_event e
                WHERE e.tenant_id = t.tenant_id AND e.family = topic_family AND e.status = 'pending'
                  AND e.next_attempt_at <= now())
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION outbox_due_tenants(text) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION outbox_due_tenants(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_due_tenants(text) TO ${app_role};
