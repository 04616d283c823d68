-- The web origins a tenant runs its own browser apps on (its patient portal on its own domain, say). The API's CORS
-- allows them for that tenant's requests, besides the origins the deployment allows for everyone. Origins only:
-- scheme, lower-case host and a port other than the scheme's default, exactly as a browser sends them.
CREATE TABLE tenant_web_origin (
  tenant_id   uuid NOT NULL REFERENCES tenant (id),
  origin      text NOT NULL CHECK (origin ~ '^https?://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, origin)
);
GRANT SELECT, INSERT, DELETE ON tenant_web_origin TO ${app_role};
