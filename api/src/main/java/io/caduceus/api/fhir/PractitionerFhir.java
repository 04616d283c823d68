package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.practitioner.PractitionerSearch;
import io.caduceus.api.practitioner.PractitionerService;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Practitioner;

import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code Practitioner}: a staff profile as {@link PractitionerService} shows it (permission practitioner.read). */
public final class PractitionerFhir implements FhirType {

  /** The US National Provider Identifier. */
  static final String NPI = "http://hl7.org/fhir/sid/us-npi";

  private final PractitionerService practitioners;

  public PractitionerFhir(PractitionerService practitioners) {
    this.practitioners = practitioners;
  }

  @Override
  public String name() {
    return "Practitioner";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("_id", SearchParamType.TOKEN, "The practitioner's id; several separated by commas."),
        new SearchParameter("_lastUpdated", SearchParamType.DATE,
            "When the profile last changed, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("name", SearchParamType.STRING,
            "Each word starts a word of the family or given name (case-insensitive)."),
        new SearchParameter("identifier", SearchParamType.TOKEN,
            "The NPI: " + NPI + "|value, or the value alone; several separated by commas."));
  }

  @Override
  public Future<Practitioner> read(TenantContext ctx, String id) {
    return practitioners.get(ctx, FhirHandlers.uuid(id, "practitioner")).map(PractitionerFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    query.modifiersOnly(Set.of());
    List<UUID> ids = AppointmentFhir.ids(query, "_id", null);
    List<String> npis = SearchValues.codes(query, "identifier", NPI).orElse(null);
    String name = query.all("name").isEmpty() ? null : String.join(" ", query.all("name"));
    if (name != null && (name.isBlank() || name.contains(","))) {
      throw new Invalid("name", "takes words, no commas");
    }
    Optional<FhirQuery.DateRange> updated = query.dateRange("_lastUpdated");
    PractitionerSearch q = new PractitionerSearch(ids, name, npis,
        updated.map(r -> r.from() == null ? null : r.from().toInstant()).orElse(null),
        updated.map(r -> r.to() == null ? null : r.to().toInstant()).orElse(null), query.count());
    if (query.summaryCount()) {
      return practitioners.count(ctx, q).map(FhirPage::count);
    }
    return practitioners.search(ctx, q, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(PractitionerFhir::of).toList(), page.nextCursor()));
  }

  static Practitioner of(io.caduceus.api.practitioner.Practitioner p) {
    Practitioner fhir = new Practitioner();
    fhir.setId(p.id().toString());
    fhir.getMeta().setVersionId(String.valueOf(p.version()))
        .setLastUpdatedElement(new InstantType(Date.from(p.updatedAt())));
    fhir.setActive(p.active());
    if (p.npi() != null) {
      fhir.addIdentifier().setSystem(NPI).setValue(p.npi());
    }
    HumanName name = fhir.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(p.familyName());
    if (p.givenName() != null && !p.givenName().isBlank()) {
      Arrays.stream(p.givenName().trim().split("\\s+")).forEach(name::addGiven);
    }
    if (p.phone() != null) {
      fhir.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(p.phone())
          .setUse(ContactPoint.ContactPointUse.WORK);
    }
    if (p.email() != null) {
      fhir.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(p.email())
          .setUse(ContactPoint.ContactPointUse.WORK);
    }
    if (p.specialty() != null) {
      fhir.addQualification().getCode().setText(p.specialty());
    }
    return fhir;
  }
}
