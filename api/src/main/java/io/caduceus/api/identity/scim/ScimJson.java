package io.caduceus.api.identity.scim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** SCIM resources as the wire has them (RFC 7643): users, groups, list responses, with {@code meta}. */
final class ScimJson {

  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  private ScimJson() {
  }

  /** A user with its groups; {@code base} is the absolute {@code .../scim/v2} of this server. */
  static JsonObject user(ScimUser user, List<ScimGroup.Ref> groups, String base) {
    JsonObject json = new JsonObject().put("schemas", schemas(user));
    json.put("id", user.id().toString());
    if (user.externalId() != null) {
      json.put("externalId", user.externalId());
    }
    json.put("userName", user.userName());
    user.attributes().forEach(e -> json.put(e.getKey(), e.getValue()));
    if (!json.containsKey("emails")) {
      json.put("emails", new JsonArray().add(new JsonObject().put("value", user.email()).put("primary", true)));
    }
    json.put("active", user.active());
    JsonArray refs = new JsonArray();
    groups.forEach(g -> refs.add(new JsonObject().put("value", g.id().toString()).put("display", g.displayName())
        .put("$ref", base + "/Groups/" + g.id())));
    json.put("groups", refs);
    json.put("meta", meta("User", user.created(), user.lastModified(), user.version(), base + "/Users/" + user.id()));
    return json;
  }

  private static JsonArray schemas(ScimUser user) {
    JsonArray schemas = new JsonArray().add(ScimUserDraft.USER_SCHEMA);
    if (user.attributes().containsKey(ScimPatch.ENTERPRISE)) {
      schemas.add(ScimPatch.ENTERPRISE);
    }
    return schemas;
  }

  /** A group with its members. */
  static JsonObject group(ScimGroup group, List<ScimGroup.Member> members, String base) {
    JsonObject json = new JsonObject().put("schemas", new JsonArray().add(GROUP_SCHEMA))
        .put("id", group.id().toString());
    if (group.externalId() != null) {
      json.put("externalId", group.externalId());
    }
    json.put("displayName", group.displayName());
    JsonArray list = new JsonArray();
    members.forEach(m -> list.add(new JsonObject().put("value", m.userId().toString()).put("display", m.userName())
        .put("$ref", base + "/Users/" + m.userId()).put("type", "User")));
    json.put("members", list);
    json.put("meta", meta("Group", group.created(), group.lastModified(), group.version(),
        base + "/Groups/" + group.id()));
    return json;
  }

  /** A page of a listing (RFC 7644 §3.4.2). */
  static JsonObject list(List<JsonObject> resources, long total, int startIndex) {
    return new JsonObject().put("schemas", new JsonArray().add(LIST_SCHEMA))
        .put("totalResults", total)
        .put("startIndex", startIndex)
        .put("itemsPerPage", resources.size())
        .put("Resources", new JsonArray(List.copyOf(resources)));
  }

  /** The weak ETag of a version, as {@code meta.version} and the ETag header carry it. */
  static String version(int version) {
    return "W/\"" + version + "\"";
  }

  private static JsonObject meta(String type, OffsetDateTime created, OffsetDateTime modified, int version,
                                 String location) {
    return new JsonObject().put("resourceType", type).put("created", time(created))
        .put("lastModified", time(modified)).put("version", version(version)).put("location", location);
  }

  private static String time(OffsetDateTime t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
