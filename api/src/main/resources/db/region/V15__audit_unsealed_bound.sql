-- The sealer asks every tick which tenants have events after their chain's head. The head bound was written
-- "head.last_txid IS NULL OR (e.txid, e.id) > (head...)", which PostgreSQL cannot use as an index condition: each
-- call read every event of every tenant (390-600 ms at 100,000 events, growing with the table, so a node's read
-- throughput fell the longer it ran). The same bound written with CASE is an index condition on audit_event_chain,
-- and asking for each tenant's first pending event (LIMIT 1 in a lateral subquery) keeps the planner from hashing
-- the whole table as it may for EXISTS: 3-5 ms at 100,000 events. Transaction 0 never writes a row, so it stands
-- for "from the chain's start".
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.audit_unsealed_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM audit_event ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.tenant_id FROM audit_event e WHERE e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id
  FROM tenants t
  LEFT JOIN LATERAL (
    SELECT h.last_txid, h.last_event_id FROM (
      (SELECT s.seq, s.last_txid, s.last_event_id, 0 AS pick FROM audit_seal s
        WHERE s.tenant_id = t.tenant_id ORDER BY s.seq DESC LIMIT 1)
      UNION ALL
      (SELECT r.last_seal, r.anchor_txid, r.anchor_event_id, 1 FROM audit_repair r
        WHERE r.tenant_id = t.tenant_id ORDER BY r.seq DESC LIMIT 1)
    ) h ORDER BY h.seq DESC, h.pick DESC LIMIT 1
  ) head ON true
  CROSS JOIN LATERAL (
    SELECT 1 FROM audit_event e
    WHERE e.tenant_id = t.tenant_id
      AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
      AND (e.txid, e.id) > (CASE WHEN head.last_txid IS NULL THEN '0'::xid8 ELSE head.last_txid END,
        CASE WHEN head.last_txid IS NULL THEN '00000000-0000-0000-0000-000000000000'::uuid
          ELSE head.last_event_id END)
    ORDER BY e.txid, e.id
    LIMIT 1
  ) pending
  WHERE t.tenant_id IS NOT NULL
$$;
