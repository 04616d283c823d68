-- The relay finds tenants with due outbox messages of a topic family without reading any tenant's rows: this
-- function, owned by the NOLOGIN scanner role (SELECT-only across tenants), returns tenant ids and nothing else.
CREATE POLICY scanner_reads ON outbox_event FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON outbox_event TO ${scanner_role};

CREATE FUNCTION outbox_due_tenants(topic_prefix text) RETURNS SETOF uuid
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
                WHERE e.tenant_id = t.tenant_id AND e.status = 'pending' AND e.next_attempt_at <= now()
                  AND starts_with(e.topic, topic_prefix))
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION outbox_due_tenants(text) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION outbox_due_tenants(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_due_tenants(text) TO ${app_role};
