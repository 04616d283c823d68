-- Ended sessions are cached in Redis for every node to check on each request; PostgreSQL stays the truth. Each
-- node re-reads the sessions ended since its last look (every second) and after Redis lost its data (the whole
-- access-token lifetime back), so the cache catches up with revocations it missed while it was unreachable.
CREATE INDEX auth_session_revoked ON auth_session (revoked_at) WHERE revoked_at IS NOT NULL;
