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
    JsonObject json = new JsonObject()
        .put("id", p.id().toString())
        .put("mrn", p.mrn())
        .put("name", name(p))
        .put("birthDate", p.birthDate() == null ? null : p.birthDate().toString())
        .put("sex", p.sex())
        .put("preferredLanguage", p.preferredLanguage())
        .put("version", p.version())
        .put("createdAt", p.createdAt().toString())
        .put("updatedAt", p.updatedAt().toString());
    if (Access.has(ctx, PatientSection.CONTACT.read)) {
      json.put("contact", p.contact() == null ? new JsonObject() : p.contact());
    }
    if (Access.has(ctx, PatientSection.INSURANCE.read)) {
      JsonObject insurance = p.insurance() == null ? new JsonObject() : p.insurance().copy();
      if (p.insuranceMemberIdSealed() != null) {
        insurance.put("memberId", keys.open(Patient.memberIdBinding(p.id()), p.insuranceMemberIdSealed()));
      }
      json.put("insurance", insurance);
    }
    if (Access.has(ctx, PatientSection.IDENTIFIERS.read)) {
      JsonObject identifiers = new JsonObject();
      if (p.nationalIdSealed() != null) {
        identifiers.put("nationalId", keys.open(Patient.nationalIdBinding(p.id()), p.nationalIdSealed()));
      }
      json.put("identifiers", identifiers);
    }
    if (Access.has(ctx, PatientSection.CLINICAL.read)) {
      json.put("clinical", p.clinical() == null ? new JsonObject() : p.clinical());
    }
    projection.finish();
    return json;
  }

  private static JsonObject name(Patient p) {
    JsonObject name = new JsonObject().put("family", p.familyName());
    if (p.givenName() != null) {
      name.put("given", p.givenName());
    }
    return name;
  }
}
