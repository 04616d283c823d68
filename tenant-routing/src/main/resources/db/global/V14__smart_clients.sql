-- SMART on FHIR backend services (system-to-system): a tenant admin registers a client with its public JWK set; the
-- client signs a JWT assertion to get short-lived access tokens limited to its tenant and its allowed system/ scopes.
-- Control plane only, no PHI.

-- A client's tokens carry the session of the client ('sid'), so disabling the client ends that session and its
-- tokens stop on the next request through the revocation that already serves logins (Redis flags, PostgreSQL the
-- truth). Such a session belongs to no user.
ALTER TABLE auth_session ALTER COLUMN user_id DROP NOT NULL;

CREATE TABLE smart_client (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  jwks        jsonb NOT NULL,
  roles       text[] NOT NULL CHECK (cardinality(roles) > 0),
  scopes      text[] NOT NULL CHECK (cardinality(scopes) > 0),
  session_id  uuid NOT NULL UNIQUE REFERENCES auth_session (id),
  created_by  uuid REFERENCES app_user (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE INDEX smart_client_tenant ON smart_client (tenant_id, created_at, id);

-- Every client assertion's jti, kept until the assertion expires: a second use of one is a replay and refused.
CREATE TABLE smart_assertion (
  client_id  uuid NOT NULL REFERENCES smart_client (id),
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX smart_assertion_expiry ON smart_assertion (client_id, expires_at);

GRANT SELECT, INSERT, UPDATE ON smart_client TO ${app_role};
GRANT SELECT, INSERT, DELETE ON smart_assertion TO ${app_role};
