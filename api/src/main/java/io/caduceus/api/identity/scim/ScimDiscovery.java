package io.caduceus.api.identity.scim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What this SCIM service offers (RFC 7644 §4): its configuration, resource types and schemas. */
final class ScimDiscovery {

  /** The most resources one page holds; a larger {@code count} is cut to it. */
  static final int MAX_RESULTS = 200;
  private static final String CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
  private static final String TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
  private static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

  private ScimDiscovery() {
  }

  static JsonObject serviceProviderConfig(String base) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(CONFIG_SCHEMA))
        .put("documentationUri", base.replaceFirst("/scim/v2$", "") + "/docs")
        .put("patch", supported(true))
        .put("bulk", supported(false).put("maxOperations", 0).put("maxPayloadSize", 0))
        .put("filter", supported(true).put("maxResults", MAX_RESULTS))
        .put("changePassword", supported(false))
        .put("sort", supported(false))
        .put("etag", supported(true))
        .put("authenticationSchemes", new JsonArray().add(new JsonObject().put("type", "oauthbearertoken")
            .put("name", "SCIM bearer token").put("primary", true)
            .put("description", "A token the tenant admin creates at /v1/tenants/{tenantId}/scim-tokens")))
        .put("meta", new JsonObject().put("resourceType", "ServiceProviderConfig")
            .put("location", base + "/ServiceProviderConfig"));
  }

  static JsonObject resourceTypes(String base) {
    JsonArray types = new JsonArray()
        .add(type("User", "/Users", ScimUserDraft.USER_SCHEMA, base)
            .put("schemaExtensions", new JsonArray().add(new JsonObject().put("schema", ScimPatch.ENTERPRISE)
                .put("required", false))))
        .add(type("Group", "/Groups", ScimJson.GROUP_SCHEMA, base));
    return ScimJson.list(types.stream().map(JsonObject.class::cast).toList(), types.size(), 1);
  }

  static JsonObject schemas(String base) {
    JsonArray user = new JsonArray()
        .add(attribute("userName", "string", false, true).put("uniqueness", "server"))
        .add(attribute("externalId", "string", false, false))
        .add(attribute("displayName", "string", false, false))
        .add(complex("name", false, new JsonArray().add(attribute("givenName", "string", false, false))
            .add(attribute("familyName", "string", false, false)).add(attribute("formatted", "string", false, false))))
        .add(complex("emails", true, new JsonArray().add(attribute("value", "string", false, false))
            .add(attribute("type", "string", false, false)).add(attribute("primary", "boolean", false, false))))
        .add(attribute("title", "string", false, false))
        .add(attribute("active", "boolean", false, false))
        .add(complex("groups", true, new JsonArray().add(attribute("value", "string", false, false))
            .add(attribute("display", "string", false, false))).put("mutability", "readOnly"));
    JsonArray group = new JsonArray()
        .add(attribute("displayName", "string", false, true).put("uniqueness", "server"))
        .add(attribute("externalId", "string", false, false))
        .add(complex("members", true, new JsonArray().add(attribute("value", "string", false, false))
            .add(attribute("display", "string", false, false))));
    JsonArray enterprise = new JsonArray().add(attribute("employeeNumber", "string", false, false))
        .add(attribute("department", "string", false, false)).add(attribute("organization", "string", false, false));
    JsonArray all = new JsonArray()
        .add(schema(ScimUserDraft.USER_SCHEMA, "User", user, base))
        .add(schema(ScimJson.GROUP_SCHEMA, "Group", group, base))
        .add(schema(ScimPatch.ENTERPRISE, "EnterpriseUser", enterprise, base));
    return ScimJson.list(all.stream().map(JsonObject.class::cast).toList(), all.size(), 1);
  }

  private static JsonObject supported(boolean supported) {
    return new JsonObject().put("supported", supported);
  }

  private static JsonObject type(String name, String endpoint, String schema, String base) {
    return new JsonObject().put("schemas", new JsonArray().add(TYPE_SCHEMA)).put("id", name).put("name", name)
        .put("endpoint", endpoint).put("schema", schema)
        .put("meta", new JsonObject().put("resourceType", "ResourceType").put("location", base + "/ResourceTypes/" + name));
  }

  private static JsonObject schema(String id, String name, JsonArray attributes, String base) {
    return new JsonObject().put("schemas", new JsonArray().add(SCHEMA_SCHEMA)).put("id", id).put("name", name)
        .put("attributes", attributes)
        .put("meta", new JsonObject().put("resourceType", "Schema").put("location", base + "/Schemas/" + id));
  }

  private static JsonObject attribute(String name, String type, boolean multi, boolean required) {
    return new JsonObject().put("name", name).put("type", type).put("multiValued", multi).put("required", required)
        .put("caseExact", false).put("mutability", "readWrite").put("returned", "default").put("uniqueness", "none");
  }

  private static JsonObject complex(String name, boolean multi, JsonArray subAttributes) {
    return attribute(name, "complex", multi, false).put("subAttributes", subAttributes);
  }
}
