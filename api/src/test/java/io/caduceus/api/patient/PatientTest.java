package io.caduceus.api.patient;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class PatientTest extends ClinicFixture {

  @Test
  void registersAPatientWithAnAssignedMrnAndReadsItBack() {
    JsonObject created = clinic.patient("Okonkwo", "Chidi");
    assertThat(created.getString("mrn")).matches("P[0-9A-Z]{9}");
    assertThat(created.getInteger("version")).isEqualTo(1);
    Api.Response read = expect(api.get("/v1/patients/" + created.getString("id"), clinic.token(clinic.desk)), 200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");
    assertThat(read.json().getJsonObject("name").getString("family")).isEqualTo("Okonkwo");
  }

  @Test
  void anMrnIsUniqueWithinATenantButNotAcrossTenants() {
    JsonObject body = new JsonObject().put("mrn", "MRN-42").put("name", new JsonObject().put("family", "First"));
    expect(api.post("/v1/patients", clinic.token(clinic.desk), body), 201);
    Api.Response duplicate = expect(api.post("/v1/patients", clinic.token(clinic.desk), body), 409);
    assertThat(duplicate.json().getString("detail")).doesNotContain("MRN-42");
    Clinic other = Clinic.in("us");
    expect(api.post("/v1/patients", other.token(other.desk), body), 201);
  }

  @Test
  void searchesByNamePrefixBirthDateAndMrn() {
    JsonObject maria = clinic.patient(new JsonObject().put("mrn", "S-1")
        .put("name", new JsonObject().put("family", "Delgado").put("given", "Maria Elena")).put("birthDate", "1980-02-03"));
    clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Delacroix").put("given", "Jean"))
        .put("birthDate", "1975-05-05"));
    String token = clinic.token(clinic.desk);
    assertThat(names(api.get("/v1/patients?name=del", token))).containsExactly("Delacroix", "Delgado");
    assertThat(names(api.get("/v1/patients?name=maria%20delg", token))).containsExactly("Delgado");
    assertThat(names(api.get("/v1/patients?name=ELENA", token))).containsExactly("Delgado");
    assertThat(names(api.get("/v1/patients?birthDate=1975-05-05", token))).containsExactly("Delacroix");
    assertThat(names(api.get("/v1/patients?mrn=S-1", token))).containsExactly("Delgado");
    assertThat(names(api.get("/v1/patients?name=d_l", token))).as("LIKE wildcards are matched literally").isEmpty();
    expect(api.get("/v1/patients?name=del%25", token), 400);
    assertThat(maria.getString("id")).isNotNull();
  }

  @Test
  void findsAPatientByTheStartOfAnyWordOfTheName() {
    String token = clinic.token(clinic.desk);
    clinic.patient(new JsonObject().put("mrn", "W-1").put("name", new JsonObject().put("family", "Van Houtenwick")
        .put("given", "Ottilie Brunhild")).put("birthDate", "1961-06-07"));
    clinic.patient(new JsonObject().put("mrn", "W-2").put("name", new JsonObject().put("family", "Houtenwick")
        .put("given", "Otto")).put("birthDate", "1962-06-07"));
    // A second word of the family name, a given name, a second given name; any case; with other words.
    assertThat(names(api.get("/v1/patients?name=houtenw", token))).containsExactly("Houtenwick", "Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=OTTILIE", token))).containsExactly("Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=brunh", token))).containsExactly("Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=ott%20houtenw", token))).containsExactly("Houtenwick",
        "Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=houtenw%20brunh", token))).containsExactly("Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=houtenw%20otto%20van", token))).isEmpty();
    assertThat(names(api.get("/v1/patients?name=outenw", token))).as("only the start of a word").isEmpty();
    // With a birth date or an MRN.
    assertThat(names(api.get("/v1/patients?name=houtenw&birthDate=1962-06-07", token))).containsExactly("Houtenwick");
    assertThat(names(api.get("/v1/patients?name=ott&mrn=W-1", token))).containsExactly("Van Houtenwick");
    assertThat(names(api.get("/v1/patients?name=brunh&mrn=W-2", token))).isEmpty();
  }

  @Test
  void aPatientWithSeveralMatchingWordsIsFoundOnce() {
    String id = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Twiceley Twiceley")
        .put("given", "Twiceton"))).getString("id");
    Api.Response found = expect(api.get("/v1/patients?name=twice", clinic.token(clinic.desk)), 200);
    assertThat(found.items()).extracting(p -> ((JsonObject) p).getString("id")).containsExactly(id);
  }

  @Test
  void aRenamedPatientIsFoundByTheNewNameOnly() {
    String id = clinic.patient("Oldnamely", "Renata").getString("id");
    String token = clinic.token(clinic.desk);
    expect(api.patch("/v1/patients/" + id, token, new JsonObject().put("name", new JsonObject()
        .put("family", "Newnamely").put("given", "Rosalind")), "\"1\""), 200);
    assertThat(names(api.get("/v1/patients?name=newnam", token))).containsExactly("Newnamely");
    assertThat(names(api.get("/v1/patients?name=rosal", token))).containsExactly("Newnamely");
    assertThat(names(api.get("/v1/patients?name=oldnam", token))).isEmpty();
    assertThat(names(api.get("/v1/patients?name=renata", token))).isEmpty();
    // A change that leaves the name alone keeps it findable.
    expect(api.patch("/v1/patients/" + id, token, new JsonObject().put("birthDate", "1950-01-01"), "\"2\""), 200);
    assertThat(names(api.get("/v1/patients?name=newnam", token))).containsExactly("Newnamely");
  }

  @Test
  void pagesThroughEveryMatchExactlyOnce() {
    for (int i = 0; i < 7; i++) {
      clinic.patient("Pager" + (char) ('a' + i), "P" + i);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response page = expect(api.get("/v1/patients?name=pager&limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
          clinic.token(clinic.desk)), 200);
      page.items().forEach(p -> assertThat(seen.add(((JsonObject) p).getString("id"))).isTrue());
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(7);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void pagesThroughANameSearchInFamilyNameOrder() {
    List<String> families = new ArrayList<>();
    for (int i = 6; i >= 0; i--) {
      String family = "Leafy" + (char) ('a' + i);
      families.add(0, family);
      clinic.patient(family, i % 2 == 0 ? "Leaf" : "Other");
    }
    clinic.patient("Unrelated", "Person");
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Api.Response page = expect(api.get("/v1/patients?name=leaf&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
          clinic.token(clinic.desk)), 200);
      seen.addAll(names(page));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(families);
  }

  @Test
  void combinesFiltersAndPagesInFamilyNameThenIdOrder() {
    List<String> ids = new ArrayList<>();
    for (String family : new String[] {"Orderly", "orderly", "ORDERLY", "Ordway", "Orca"}) {
      ids.add(clinic.patient(new JsonObject().put("name", new JsonObject().put("family", family).put("given", "Kim"))
          .put("birthDate", family.equals("Ordway") ? "1990-09-09" : "1980-08-08")).getString("id"));
    }
    String token = clinic.token(clinic.desk);
    assertThat(names(api.get("/v1/patients?name=or%20kim&birthDate=1990-09-09", token))).containsExactly("Ordway");
    assertThat(names(api.get("/v1/patients?name=ord&birthDate=1980-08-08&limit=1", token))).hasSize(1);
    // The pages of the unfiltered list and of a name search follow (lower(family name), id), with no row twice.
    List<String> orderlies = ids.subList(0, 3).stream().sorted().toList();
    for (String filter : new String[] {"", "name=or&"}) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        Api.Response page = expect(api.get("/v1/patients?" + filter + "limit=2"
            + (cursor == null ? "" : "&cursor=" + cursor), token), 200);
        page.items().forEach(p -> seen.add(((JsonObject) p).getString("id")));
        cursor = page.json().getString("nextCursor");
      } while (cursor != null);
      assertThat(seen).as(filter).containsExactly(ids.get(4), orderlies.get(0), orderlies.get(1), orderlies.get(2),
          ids.get(3));
    }
  }

  @Test
  void aCursorOnlyWorksWithTheFiltersThatMadeIt() {
    clinic.patient("Cursorly", "A");
    clinic.patient("Cursorly", "B");
    String cursor = api.get("/v1/patients?name=cursorly&limit=1", clinic.token(clinic.desk)).json().getString("nextCursor");
    expect(api.get("/v1/patients?name=other&limit=1&cursor=" + cursor, clinic.token(clinic.desk)), 400);
    expect(api.get("/v1/patients?name=cursorly&limit=1&cursor=" + cursor.substring(2), clinic.token(clinic.desk)), 400);
  }

  @Test
  void aChangeNeedsTheCurrentVersion() {
    String path = "/v1/patients/" + clinic.patient("Version", "Vera").getString("id");
    String token = clinic.token(clinic.desk);
    JsonObject change = new JsonObject().put("birthDate", "1971-01-01");
    expect(api.patch(path, token, change, null), 428);
    expect(api.patch(path, token, change, "\"7\""), 412);
    expect(api.patch(path, token, change, "not-an-etag"), 412);
    Api.Response changed = expect(api.patch(path, token, change, "\"1\""), 200);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    assertThat(changed.json().getString("birthDate")).isEqualTo("1971-01-01");
    expect(api.patch(path, token, change, "\"1\""), 412);
  }

  @Test
  void eachRoleSeesOnlyTheSectionsItNeeds() {
    String id = fullPatient();
    JsonObject desk = expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 200).json();
    assertThat(desk.fieldNames()).contains("contact", "insurance", "identifiers").doesNotContain("clinical");
    assertThat(desk.getJsonObject("identifiers").getString("nationalId")).isEqualTo("987-65-4321");
    assertThat(desk.getJsonObject("insurance").getString("memberId")).isEqualTo("MEM-777");

    JsonObject doctor = expect(api.get("/v1/patients/" + id, clinic.token(clinic.doctor)), 200).json();
    assertThat(doctor.fieldNames()).contains("contact", "insurance", "clinical").doesNotContain("identifiers");
    assertThat(doctor.getJsonObject("clinical").getJsonArray("allergies")).containsExactly("latex");

    TestUser lab = platform.user(clinic.tenant, "lab_technician");
    JsonObject tech = expect(api.get("/v1/patients/" + id, platform.token(lab)), 200).json();
    assertThat(tech.fieldNames()).contains("contact").doesNotContain("insurance", "identifiers", "clinical");

    JsonObject admin = expect(api.get("/v1/patients/" + id, clinic.token(clinic.admin)), 200).json();
    assertThat(admin.fieldNames()).doesNotContain("clinical");
    assertThat(api.get("/v1/patients?name=full", clinic.token(clinic.desk)).body()).doesNotContain("latex");
  }

  @Test
  void aRoleCannotChangeASectionItMayNotWrite() {
    String path = "/v1/patients/" + clinic.patient("Section", "Sam").getString("id");
    JsonObject clinical = new JsonObject().put("clinical", new JsonObject().put("notes", "sensitive"));
    expect(api.patch(path, clinic.token(clinic.desk), clinical, "\"1\""), 403);
    expect(api.patch(path, clinic.token(clinic.nurse), new JsonObject().put("contact",
        new JsonObject().put("phone", "+1 555 0199")), "\"1\""), 403);
    expect(api.patch(path, clinic.token(clinic.nurse), clinical, "\"1\""), 200);
    expect(api.patch(path, clinic.token(clinic.doctor), new JsonObject().put("identifiers",
        new JsonObject().put("nationalId", "111-22-3333")), "\"2\""), 403);
    expect(api.post("/v1/patients", clinic.token(clinic.nurse), new JsonObject()
        .put("name", new JsonObject().put("family", "NotAllowed"))), 403);
  }

  @Test
  void identifiersAreEncryptedAtRest() {
    String id = fullPatient();
    Map<String, Object> row = Sql.query(platform.superuser("us"),
        "SELECT national_id_sealed, insurance_member_id_sealed, insurance::text AS insurance FROM patient WHERE id = ?",
        UUID.fromString(id)).get(0);
    String sealedId = new String((byte[]) row.get("national_id_sealed"), StandardCharsets.ISO_8859_1);
    String sealedMember = new String((byte[]) row.get("insurance_member_id_sealed"), StandardCharsets.ISO_8859_1);
    assertThat(sealedId).doesNotContain("987-65-4321");
    assertThat(sealedMember).doesNotContain("MEM-777");
    assertThat((String) row.get("insurance")).doesNotContain("MEM-777").contains("Acme");
  }

  @Test
  void aPatientSeesAndChangesOnlyTheirOwnRecord() {
    String own = clinic.patient("Self", "Sally").getString("id");
    String other = clinic.patient("Other", "Oscar").getString("id");
    TestUser sally = platform.patientAccount(clinic.tenant, UUID.fromString(own));
    String token = platform.token(sally);
    JsonObject mine = expect(api.get("/v1/patients/" + own, token), 200).json();
    assertThat(mine.fieldNames()).contains("clinical").doesNotContain("identifiers");
    expect(api.get("/v1/patients/" + other, token), 404);
    assertThat(api.get("/v1/patients", token).items()).extracting(p -> ((JsonObject) p).getString("id"))
        .containsExactly(own);
    assertThat(api.get("/v1/patients?name=oscar", token).items()).isEmpty();
    assertThat(api.get("/v1/patients?name=s", token).items()).extracting(p -> ((JsonObject) p).getString("id"))
        .containsExactly(own);
    expect(api.patch("/v1/patients/" + own, token, new JsonObject().put("contact",
        new JsonObject().put("email", "sally@example.test")), "\"1\""), 200);
    expect(api.patch("/v1/patients/" + other, token, new JsonObject().put("contact",
        new JsonObject().put("email", "x@example.test")), "\"1\""), 404);
    expect(api.patch("/v1/patients/" + own, token, new JsonObject().put("clinical",
        new JsonObject().put("notes", "self-diagnosed")), "\"2\""), 403);
    expect(api.post("/v1/patients", token, new JsonObject().put("name", new JsonObject().put("family", "X"))), 403);
  }

  @Test
  void aDeletedPatientLeavesReadsAndSearchesButStaysStored() {
    String id = clinic.patient("Erroneous", "Entry").getString("id");
    expect(api.delete("/v1/patients/" + id, clinic.token(clinic.desk)), 403);
    expect(api.delete("/v1/patients/" + id, clinic.token(clinic.admin)), 204);
    expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 404);
    assertThat(api.get("/v1/patients?name=erroneous", clinic.token(clinic.desk)).items()).isEmpty();
    expect(api.delete("/v1/patients/" + id, clinic.token(clinic.admin)), 404);
    assertThat(Sql.query(platform.superuser("us"), "SELECT deleted_at FROM patient WHERE id = ?", UUID.fromString(id))
        .get(0).get("deleted_at")).isNotNull();
  }

  @Test
  void aRetriedRegistrationWithTheSameKeyCreatesOnePatient() {
    JsonObject body = new JsonObject().put("name", new JsonObject().put("family", "Retry").put("given", "Rita"));
    Map<String, String> key = Map.of("Idempotency-Key", "reg-" + UUID.randomUUID());
    Api.Response first = expect(api.post("/v1/patients", clinic.token(clinic.desk), body, key), 201);
    Api.Response again = expect(api.post("/v1/patients", clinic.token(clinic.desk), body, key), 201);
    assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(api.get("/v1/patients?name=retry", clinic.token(clinic.desk)).items()).hasSize(1);
    body.getJsonObject("name").put("given", "Different");
    expect(api.post("/v1/patients", clinic.token(clinic.desk), body, key), 422);
  }

  @Test
  void aStoredReplyIsSealedAndItsReplayIsAudited() {
    JsonObject body = new JsonObject().put("name", new JsonObject().put("family", "Sealed"))
        .put("identifiers", new JsonObject().put("nationalId", "555-66-7777"));
    Map<String, String> key = Map.of("Idempotency-Key", "sealed-" + UUID.randomUUID());
    String id = expect(api.post("/v1/patients", clinic.token(clinic.desk), body, key), 201).json().getString("id");
    expect(api.post("/v1/patients", clinic.token(clinic.desk), body, key), 201);
    Map<String, Object> stored = Sql.query(platform.superuser("us"), "SELECT body_sealed, headers::text AS headers"
        + " FROM idempotency_record WHERE tenant_id = ?", clinic.tenant.id().value()).get(0);
    assertThat(new String((byte[]) stored.get("body_sealed"), StandardCharsets.ISO_8859_1)).doesNotContain("555-66-7777")
        .doesNotContain("Sealed");
    assertThat(expect(api.get("/v1/audit-events?action=request.replay&patientId=" + id, clinic.token(clinic.admin)),
        200).items()).hasSize(1);
  }

  @Test
  void aReadIsAuditedBeforeItIsAnswered() {
    String id = clinic.patient("Audited", "Ada").getString("id");
    expect(api.get("/v1/patients/" + id, clinic.token(clinic.doctor)), 200);
    List<Map<String, Object>> rows = Sql.query(platform.superuser("us"),
        "SELECT actor_user_id, actor_roles::text AS roles, outcome FROM audit_event"
            + " WHERE tenant_id = ? AND action = 'patient.read' AND ? = ANY (patient_ids)",
        clinic.tenant.id().value(), UUID.fromString(id));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("actor_user_id")).isEqualTo(clinic.doctor.id());
    assertThat((String) rows.get(0).get("roles")).contains("physician");
    assertThat(rows.get(0).get("outcome")).isEqualTo("success");
  }

  @Test
  void badInputIsRefusedWithAProblemThatNamesTheField() {
    String token = clinic.token(clinic.desk);
    Api.Response unknown = expect(api.post("/v1/patients", token, new JsonObject()
        .put("name", new JsonObject().put("family", "X")).put("ssn", "123")), 400);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    expect(api.post("/v1/patients", token, new JsonObject().put("birthDate", "1970-01-01")), 400);
    expect(api.post("/v1/patients", token, new JsonObject().put("name", new JsonObject().put("family", "X"))
        .put("birthDate", "1970-13-45")), 400);
    expect(api.post("/v1/patients", token, new JsonObject().put("name", new JsonObject().put("family", "X"))
        .put("clinical", new JsonObject().put("problems", new JsonArray().add(new JsonObject().put("code", "nope"))))),
        400);
    expect(api.get("/v1/patients/not-a-uuid", token), 400);
    expect(api.get("/v1/patients?limit=1000", token), 400);
  }

  private String fullPatient() {
    JsonObject created = clinic.patient(new JsonObject()
        .put("name", new JsonObject().put("family", "Fullrecord").put("given", "Fay"))
        .put("contact", new JsonObject().put("phone", "+1 555 0142").put("email", "fay@example.test"))
        .put("insurance", new JsonObject().put("payer", "Acme").put("plan", "Gold").put("memberId", "MEM-777"))
        .put("identifiers", new JsonObject().put("nationalId", "987-65-4321")));
    String id = created.getString("id");
    expect(api.patch("/v1/patients/" + id, clinic.token(clinic.doctor), new JsonObject().put("clinical",
        new JsonObject().put("allergies", new JsonArray().add("latex"))), "\"1\""), 200);
    return id;
  }

  private static List<String> names(Api.Response r) {
    return r.items().stream().map(p -> ((JsonObject) p).getJsonObject("name").getString("family")).toList();
  }
}
