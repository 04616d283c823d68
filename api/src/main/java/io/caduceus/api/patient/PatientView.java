package io.caduceus.api.patient;

import io.caduceus.api.access.Access;
import io.caduceus.routing.RequestStage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

/**
 * The field-level projection of a patient for one caller: each section appears only when the caller's role may
 * read it, and sealed identifiers are opened only then.
 */
final class PatientView {

  private PatientView() {
  }

  /** The contract's {@code Patient} as this caller may see it. */
  static JsonObject of(Patient p, TenantContext ctx, TenantKeys keys) {
    RequestStage projection = RequestStage.start("projection").of(null, ctx.requestId());
    PatientValues v = p.values();
    JsonObject json = new JsonObject()
        .put("id", p.id().toString())
        .put("mrn", v.mrn())
        .put("name", name(v))
        .put("birthDate", v.birthDate() == null ? null : v.birthDate().toString())
        .put("sex", v.sex())
        .put("preferredLanguage", v.preferredLanguage())
        .put("version", p.version())
        .put("createdAt", p.createdAt().toString())
        .put("updatedAt", p.updatedAt().toString());
    if (Access.has(ctx, PatientSection.CONTACT.read)) {
      json.put("contact", v.contact() == null ? new JsonObject() : v.contact());
    }
    if (Access.has(ctx, PatientSection.INSURANCE.read)) {
      JsonObject insurance = v.insurance() == null ? new JsonObject() : v.insurance().copy();
      if (v.memberIdSealed() != null) {
        insurance.put("memberId", keys.open(Patient.memberIdBinding(p.id()), v.memberIdSealed()));
      }
      json.put("insurance", insurance);
    }
    if (Access.has(ctx, PatientSection.IDENTIFIERS.read)) {
      JsonObject identifiers = new JsonObject();
      if (v.nationalIdSealed() != null) {
        identifiers.put("nationalId", keys.open(Patient.nationalIdBinding(p.id()), v.nationalIdSealed()));
      }
      json.put("identifiers", identifiers);
    }
    if (Access.has(ctx, PatientSection.CLINICAL.read)) {
      json.put("clinical", v.clinical() == null ? new JsonObject() : v.clinical());
    }
    projection.finish();
    return json;
  }

  private static JsonObject name(PatientValues v) {
    JsonObject name = new JsonObject().put("family", v.familyName());
    if (v.givenName() != null) {
      name.put("given", v.givenName());
    }
    return name;
  }
}
