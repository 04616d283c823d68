-- One relay may carry several topic families (the engagement intake takes appointment, lab_result, prescription,
-- claim, message and encounter notices): the due-tenant scan takes a set of families.
DROP FUNCTION outbox_due_tenants(text);
CREATE FUNCTION outbox_due_tenants(topic_families text[]) RETURNS SETOF uuid
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
                WHERE e.tenant_id = t.tenant_id AND e.family = ANY(topic_families) AND e.status = 'pending'
                  AND e.next_attempt_at <= now())
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION outbox_due_tenants(text[]) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION outbox_due_tenants(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_due_tenants(text[]) TO ${app_role};
