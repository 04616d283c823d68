package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PATCH as Okta and Entra send it, and the filters they search with, on plain JSON (no server). */
class ScimPatchTest {

  private static JsonObject patch(JsonObject... operations) {
    return new JsonObject().put("schemas", new JsonArray().add(ScimPatch.PATCH_SCHEMA))
        .put("Operations", new JsonArray(java.util.List.of((Object[]) operations)));
  }

  private static JsonObject op(String op, String path, Object value) {
    JsonObject json = new JsonObject().put("op", op);
    if (path != null) {
      json.put("path", path);
    }
    return value == null ? json : json.put("value", value);
  }

  private final JsonObject user = new JsonObject().put("userName", "ana@riverside.test").put("active", true)
      .put("name", new JsonObject().put("givenName", "Ana"))
      .put("emails", new JsonArray().add(new JsonObject().put("value", "ana@riverside.test").put("type", "work")));

  @Test
  void entraReplacesByFilteredAndQualifiedPathsAndAddsWhatIsMissing() {
    JsonObject after = ScimPatch.apply(user, patch(
        op("Replace", "emails[type eq \"work\"].value", "ana.lopez@riverside.test"),
        op("Add", "emails[type eq \"home\"].value", "ana@home.test"),
        op("Replace", "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName", "Lopez"),
        op("Add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Cardiology"),
        op("Replace", "ACTIVE", "False")));
    assertThat(after.getJsonArray("emails").getJsonObject(0).getString("value")).isEqualTo("ana.lopez@riverside.test");
    assertThat(after.getJsonArray("emails").getJsonObject(1).encode()).contains("home", "ana@home.test");
    assertThat(after.getJsonObject("name").encode()).contains("\"givenName\":\"Ana\"", "\"familyName\":\"Lopez\"");
    assertThat(after.getJsonObject(ScimPatch.ENTERPRISE).getString("department")).isEqualTo("Cardiology");
    assertThat(after.getValue("active")).isEqualTo("False");
    assertThat(ScimUserDraft.of(after).active()).isFalse();
    assertThat(user.getBoolean("active")).as("the original is untouched").isTrue();
  }

  @Test
  void oktaReplacesWithoutAPathAndRemovesMembersByAValueFilter() {
    JsonObject group = new JsonObject().put("displayName", "Nurses").put("members", new JsonArray()
        .add(new JsonObject().put("value", "a")).add(new JsonObject().put("value", "b")));
    JsonObject after = ScimPatch.apply(group, patch(op("remove", "members[value eq \"a\"]", null),
        op("add", "members", new JsonArray().add(new JsonObject().put("value", "c"))
            .add(new JsonObject().put("value", "b"))),
        op("replace", null, new JsonObject().put("displayName", "Charge nurses"))));
    assertThat(after.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("value")))
        .containsExactly("b", "c");
    assertThat(after.getString("displayName")).isEqualTo("Charge nurses");
    JsonObject emptied = ScimPatch.apply(after, patch(op("Remove", "members", new JsonArray()
        .add(new JsonObject().put("value", "b")))));
    assertThat(emptied.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("value")))
        .containsExactly("c");
  }

  @Test
  void whatCannotBeAppliedIsA400WithItsScimType() {
    assertThatThrownBy(() -> ScimPatch.apply(user, new JsonObject().put("Operations", new JsonArray())))
        .isInstanceOf(Invalid.class);
    assertThatThrownBy(() -> ScimPatch.apply(user, patch(op("move", "active", true))))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).pointer()).isEqualTo(ScimErrors.VALUE));
    assertThatThrownBy(() -> ScimPatch.apply(user, patch(op("remove", null, null))))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).pointer())
            .isEqualTo(ScimErrors.NO_TARGET));
    assertThatThrownBy(() -> ScimPatch.apply(user, patch(op("replace", "emails[type ne \"x\"]", "y"))))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).pointer()).isEqualTo(ScimErrors.PATH));
  }

  @Test
  void filtersAreOneEqualityOnASupportedAttribute() {
    Set<String> users = Set.of("username", "externalid", "id");
    assertThat(ScimFilter.parse("userName eq \"a@b.test\"", users)).contains(new ScimFilter("username", "a@b.test"));
    assertThat(ScimFilter.parse("urn:ietf:params:scim:schemas:core:2.0:User:userName EQ \"x\\\"y\"", users))
        .contains(new ScimFilter("username", "x\"y"));
    assertThat(ScimFilter.parse(null, users)).isEmpty();
    for (String bad : new String[] {"userName co \"a\"", "title eq \"x\"", "userName eq \"a\" and active eq true",
        "userName eq"}) {
      assertThatThrownBy(() -> ScimFilter.parse(bad, users)).as(bad)
          .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).pointer())
              .isEqualTo(ScimErrors.FILTER));
    }
  }
}
