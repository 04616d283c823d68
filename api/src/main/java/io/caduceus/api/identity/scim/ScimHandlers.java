package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The {@code /scim/v2} operations (answered in {@code application/scim+json}) and the tenant admin's
 * {@code /v1/tenants/{tenantId}/scim-tokens}. Resources carry {@code meta.version} and the same weak ETag.
 */
public final class ScimHandlers {

  private static final int DEFAULT_COUNT = 100;
  private static final int MAX_FILTER = 1000;

  private final ScimUserService users;
  private final ScimGroupService groups;
  private final ScimTokenService tokens;
  private final ServerUrl serverUrl;

  public ScimHandlers(ScimUserService users, ScimGroupService groups, ScimTokenService tokens, ServerUrl serverUrl) {
    this.users = users;
    this.groups = groups;
    this.tokens = tokens;
    this.serverUrl = serverUrl;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getScimServiceProviderConfig", rc -> Future.succeededFuture(
        ok(ScimDiscovery.serviceProviderConfig(base(rc)))));
    ops.bind("listScimResourceTypes", rc -> Future.succeededFuture(ok(ScimDiscovery.resourceTypes(base(rc)))));
    ops.bind("listScimSchemas", rc -> Future.succeededFuture(ok(ScimDiscovery.schemas(base(rc)))));
    ops.bind("listScimUsers", rc -> users.list(Requests.tenant(rc), filter(rc),
        startIndex(rc), count(rc), base(rc)).map(ScimHandlers::ok));
    ops.bind("createScimUser", rc -> users.create(Requests.tenant(rc), Requests.body(rc), base(rc))
        .map(ScimHandlers::created));
    ops.bind("getScimUser", rc -> users.get(Requests.tenant(rc), Requests.pathUuid(rc, "userId"), base(rc))
        .map(ScimHandlers::resource));
    ops.bind("replaceScimUser", rc -> write(rc, (ctx, ifMatch) -> users.replace(ctx, Requests.pathUuid(rc, "userId"),
        Requests.body(rc), ifMatch, base(rc))));
    ops.bind("patchScimUser", rc -> write(rc, (ctx, ifMatch) -> users.patch(ctx, Requests.pathUuid(rc, "userId"),
        Requests.body(rc), ifMatch, base(rc))));
    ops.bind("deleteScimUser", rc -> users.delete(Requests.tenant(rc), Requests.pathUuid(rc, "userId"),
        ETags.optional(rc)).map(v -> Reply.noContent()));
    ops.bind("listScimGroups", rc -> groups.list(Requests.tenant(rc), filter(rc),
        startIndex(rc), count(rc), base(rc)).map(ScimHandlers::ok));
    ops.bind("createScimGroup", rc -> groups.create(Requests.tenant(rc), Requests.body(rc), base(rc))
        .map(ScimHandlers::created));
    ops.bind("getScimGroup", rc -> groups.get(Requests.tenant(rc), Requests.pathUuid(rc, "groupId"), base(rc))
        .map(ScimHandlers::resource));
    ops.bind("replaceScimGroup", rc -> write(rc, (ctx, ifMatch) -> groups.replace(ctx,
        Requests.pathUuid(rc, "groupId"), Requests.body(rc), ifMatch, base(rc))));
    ops.bind("patchScimGroup", rc -> write(rc, (ctx, ifMatch) -> groups.patch(ctx, Requests.pathUuid(rc, "groupId"),
        Requests.body(rc), ifMatch, base(rc))));
    ops.bind("deleteScimGroup", rc -> groups.delete(Requests.tenant(rc), Requests.pathUuid(rc, "groupId"),
        ETags.optional(rc)).map(v -> Reply.noContent()));
    ops.bind("createScimToken", rc -> {
      TenantContext ctx = Requests.tenant(rc);
      return tokens.create(ctx, Requests.body(rc)).map(created -> Reply.created(
          "/v1/tenants/" + ctx.tenantId() + "/scim-tokens/" + created.getString("id"),
          created.put("baseUrl", base(rc))));
    });
    ops.bind("listScimTokens", rc -> tokens.list(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("revokeScimToken", rc -> tokens.revoke(Requests.tenant(rc), Requests.pathUuid(rc, "tokenId"))
        .map(v -> Reply.noContent()));
  }

  private interface Write extends BiFunction<TenantContext, Integer, Future<JsonObject>> {
  }

  private static Future<Reply> write(RoutingContext rc, Write write) {
    return write.apply(Requests.tenant(rc), ETags.optional(rc)).map(ScimHandlers::resource);
  }

  /** The absolute {@code .../scim/v2} of this server, as the caller reached it. */
  private String base(RoutingContext rc) {
    return serverUrl.of(rc.request()).replaceAll("/+$", "") + "/scim/v2";
  }

  /** The raw {@code filter} (the router's contract leaves it out: see {@code Contract#routerCopy}). */
  private static String filter(RoutingContext rc) {
    String filter = rc.request().getParam("filter");
    if (filter != null && filter.length() > MAX_FILTER) {
      throw new Invalid(ScimErrors.FILTER, "a filter is at most " + MAX_FILTER + " characters");
    }
    return filter;
  }

  private static int startIndex(RoutingContext rc) {
    return Math.max(1, Requests.queryInt(rc, "startIndex", 1));
  }

  private static int count(RoutingContext rc) {
    return Math.max(0, Math.min(ScimDiscovery.MAX_RESULTS, Requests.queryInt(rc, "count", DEFAULT_COUNT)));
  }

  private static Reply ok(JsonObject body) {
    return new Reply(200, Map.of("Content-Type", ScimErrors.MEDIA_TYPE), body);
  }

  private static Reply resource(JsonObject body) {
    return new Reply(200, headers(body), body);
  }

  private static Reply created(JsonObject body) {
    Map<String, String> headers = headers(body);
    headers.put("Location", body.getJsonObject("meta").getString("location"));
    return new Reply(201, headers, body);
  }

  private static Map<String, String> headers(JsonObject body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", ScimErrors.MEDIA_TYPE);
    headers.put("ETag", body.getJsonObject("meta").getString("version"));
    return headers;
  }

}
