package io.caduceus.api.fhir;

import io.caduceus.api.connector.ImportedResourceFilter;
import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.encounter.ChartFilter;
import io.caduceus.api.encounter.ChartSection;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.lab.FiledResult;
import io.caduceus.api.lab.LabResultService;
import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Position;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.Observation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Observation}: the vital signs of encounters (category {@code vital-signs}, the R4 vital-signs profile) and
 * the results of lab orders (category {@code laboratory}), two tables read through their services with the
 * permissions {@code /v1} applies to each (a receptionist reads neither: 403). Both kinds have UUIDv7 ids, so an id
 * names one row of one table; a read looks in the vitals first and in the lab results when they hold no such row,
 * and refuses (409) the impossible id that both hold rather than answer either. Vitals are created (and audited) as
 * {@code POST /v1/encounters/{id}/vitals} records them, and corrected (update) under the encounter's version, as
 * {@code /v1} changes an encounter ({@link ObservationWrites}). Observations imported from a connected EHR are read
 * (when neither table holds the id) and listed with them ({@link ImportedFhir}).
 */
public final class ObservationFhir implements FhirType {

  static final String VITAL_SIGNS = "vital-signs";
  static final String LABORATORY = "laboratory";

  private final ChartEntryService entries;
  private final LabResultService results;
  private final ObservationWrites writes;
  private final Cursors cursors;
  private final ImportedFhir imported;

  public ObservationFhir(ChartEntryService entries, LabResultService results, EncounterService encounters,
                         Cursors cursors, ImportedFhir imported) {
    this.entries = entries;
    this.results = results;
    this.writes = new ObservationWrites(encounters, entries);
    this.cursors = cursors;
    this.imported = imported;
  }

  @Override
  public String name() {
    return "Observation";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.VREAD, Interaction.HISTORY, Interaction.SEARCH,
        Interaction.CREATE, Interaction.UPDATE);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient (ids separated by commas: any)"),
        new SearchParameter("subject", SearchParamType.REFERENCE, "The patient, as Patient/id"),
        new SearchParameter("category", SearchParamType.TOKEN, "vital-signs or laboratory"),
        new SearchParameter("code", SearchParamType.TOKEN, "A LOINC code (http://loinc.org|code)"),
        new SearchParameter("date", SearchParamType.DATE, "When it was recorded or resulted (prefixes)"),
        new SearchParameter("encounter", SearchParamType.REFERENCE, "The encounter"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When it was recorded or resulted"));
  }

  @Override
  public List<String> includes() {
    return List.of("Observation:patient", "Observation:subject", "Observation:encounter");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    Observation o = (Observation) resource;
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(o.getSubject().getReference());
      case "encounter" -> o.hasEncounter() ? List.of(o.getEncounter().getReference()) : List.of();
      default -> List.of();
    };
  }

  @Override
  public Class<? extends IBaseResource> resourceClass() {
    return Observation.class;
  }

  @Override
  public Future<IBaseResource> read(TenantContext ctx, String id) {
    UUID uuid = FhirHandlers.uuid(id, "observation");
    return nativeRead(ctx, uuid).<IBaseResource>map(o -> o)
        .recover(e -> e instanceof NotFound ? imported.read(ctx, name(), uuid) : Future.failedFuture(e));
  }

  /** A vital sign or a lab result (see the class comment). */
  private Future<Observation> nativeRead(TenantContext ctx, UUID uuid) {
    boolean vitals = ChartEntryService.mayRead(ctx, ChartSection.VITALS);
    boolean labs = Access.has(ctx, Permission.LAB_ORDER_READ);
    if (!vitals && !labs) {
      return Future.failedFuture(new Forbidden("your role may not read observations"));
    }
    Future<Observation> vital = vitals ? entries.get(ctx, ChartSection.VITALS, uuid).map(ObservationMapping::vital)
        : Future.failedFuture(new NotFound("no such observation"));
    return vital.transform(v -> {
      if (!labs) {
        return v.succeeded() ? Future.succeededFuture(v.result()) : Future.failedFuture(v.cause());
      }
      if (v.failed() && !(v.cause() instanceof NotFound)) {
        return Future.failedFuture(v.cause());
      }
      return results.get(ctx, uuid).transform(lab -> {
        if (lab.succeeded() && v.succeeded()) {
          return Future.failedFuture(new io.caduceus.api.error.Conflict("this id names two observations"));
        }
        if (lab.succeeded()) {
          ctx.audit().action("lab_order.read");
          return Future.succeededFuture(ObservationMapping.lab(lab.result()));
        }
        return lab.cause() instanceof NotFound && v.succeeded() ? Future.succeededFuture(v.result())
            : Future.failedFuture(lab.cause() instanceof NotFound ? new NotFound("no such observation")
                : lab.cause());
      });
    });
  }

  /**
   * A vital sign's versions are its encounter's while it was recorded ({@link ChartEntryService#vitalVersions}); a lab
   * result never changes, so its one version is the current one, as the read shows it.
   */
  @Override
  public Future<List<IBaseResource>> history(TenantContext ctx, String id, VersionRange range) {
    UUID uuid = FhirHandlers.uuid(id, "observation");
    if (!ChartEntryService.mayRead(ctx, ChartSection.VITALS)) {
      return FhirType.super.history(ctx, id, range);
    }
    return entries.get(ctx, ChartSection.VITALS, uuid).transform(current -> {
      if (current.succeeded()) {
        return entries.vitalVersions(ctx, current.result(), range)
            .map(versions -> versions.stream().<IBaseResource>map(ObservationMapping::vital).toList());
      }
      return current.cause() instanceof NotFound ? FhirType.super.history(ctx, id, range)
          : Future.failedFuture(current.cause());
    });
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    ClinicalSearch.noModifiers(query);
    List<String> category = ClinicalSearch.codes(query, "category",
        "http://terminology.hl7.org/CodeSystem/observation-category");
    boolean wantVitals = category == null || category.contains(VITAL_SIGNS);
    boolean wantLabs = category == null || category.contains(LABORATORY);
    boolean vitals = wantVitals && ChartEntryService.mayRead(ctx, ChartSection.VITALS);
    boolean labs = wantLabs && Access.has(ctx, Permission.LAB_ORDER_READ);
    if (category == null ? !vitals && !labs : wantVitals && !vitals || wantLabs && !labs) {
      return Future.failedFuture(new Forbidden("your role may not read these observations"));
    }
    if (labs && !vitals) {
      ctx.audit().action("lab_order.search");
    }
    List<UUID> patients = ClinicalSearch.patients(query);
    List<UUID> encounter = ClinicalSearch.reference(query, "encounter", "Encounter");
    List<String> codes = ClinicalSearch.codes(query, "code", ObservationMapping.LOINC);
    ImportedResourceFilter importedFilter = importedFilter(ctx, query, patients, encounter);
    if (ClinicalSearch.matchesNothing(patients, encounter, codes) || !vitals && !labs) {
      if (importedFilter == null) {
        return ClinicalSearch.empty();
      }
      vitals = false;
      labs = false;
    }
    FhirQuery.DateRange date = ClinicalSearch.range(query, "date", "_lastUpdated");
    ChartFilter filter = new ChartFilter(patients, encounter == null ? null : encounter.get(0), codes,
        date == null ? null : date.from(), date == null ? null : date.to());
    List<String> vitalCodes = codes == null ? null
        : codes.stream().map(c -> c.equals(ObservationMapping.BP_PANEL) ? "8480-6" : c).toList();
    ChartFilter vitalFilter = new ChartFilter(filter.patients(), filter.encounter(), vitalCodes, filter.from(),
        filter.to());
    boolean readVitals = vitals;
    boolean readLabs = labs;
    return ClinicalSearch.<Found>page(cursors, ctx, name(), query, (after, limit) -> {
      Future<List<Found>> v = readVitals ? entries.search(ctx, ChartSection.VITALS, vitalFilter, after, limit)
          .map(list -> list.stream().map(Found::of).toList()) : Future.succeededFuture(List.of());
      return v.compose(found -> (readLabs ? results.search(ctx, filter, after, limit)
              .map(list -> list.stream().map(Found::of).toList()) : Future.succeededFuture(List.<Found>of()))
          .map(more -> merge(found, more, limit)))
          .compose(found -> imported.search(ctx, importedFilter, after, limit, false)
              .map(more -> merge(found, more.stream().map(Found::of).toList(), limit)));
    }, Found::at, Found::id, Found::patient, Found::resource, () -> (readVitals
        ? entries.count(ctx, ChartSection.VITALS, vitalFilter) : Future.succeededFuture(0))
        .compose(n -> (readLabs ? results.count(ctx, filter) : Future.succeededFuture(0)).map(m -> n + m))
        .compose(n -> imported.count(ctx, importedFilter).map(m -> n + m)));
  }

  /**
   * What the search asks of imported Observations (codes and categories in any system, {@code date} over the
   * source's effective time, {@code _lastUpdated} over our copy), or null when it cannot include them: the caller
   * reads no observations, or it names an encounter (an imported record keeps none of the source's).
   */
  private ImportedResourceFilter importedFilter(TenantContext ctx, FhirQuery query, List<UUID> patients,
                                               List<UUID> encounter) {
    if (encounter != null
        || !ChartEntryService.mayRead(ctx, ChartSection.VITALS) && !Access.has(ctx, Permission.LAB_ORDER_READ)) {
      return null;
    }
    FhirQuery.DateRange date = ClinicalSearch.range(query, "date");
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    return new ImportedResourceFilter(name(), patients, ImportedFhir.codings(query, "code"),
        ImportedFhir.categories(query, "category"), null, null, ImportedFhir.from(date), ImportedFhir.to(date),
        ImportedFhir.from(updated), ImportedFhir.to(updated));
  }

  @Override
  public Future<Observation> create(TenantContext ctx, IBaseResource resource) {
    return writes.create(ctx, (Observation) resource);
  }

  @Override
  public Future<Observation> update(TenantContext ctx, String id, int version, IBaseResource resource) {
    return writes.update(ctx, FhirHandlers.uuid(id, "observation"), version, (Observation) resource);
  }

  /** Both listings' pages as one, newest first, as long as the page asked for. */
  private static List<Found> merge(List<Found> a, List<Found> b, int limit) {
    List<Found> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(Comparator.comparing(Found::at).thenComparing(Found::id).reversed());
    return all.size() > limit ? all.subList(0, limit) : all;
  }

  /** A match of either kind, with its place in the listing. */
  private record Found(Instant at, UUID id, UUID patient, Observation resource) {

    static Found of(ChartEntry e) {
      return new Found(e.recordedAt(), e.id(), e.patientId(), ObservationMapping.vital(e));
    }

    static Found of(FiledResult r) {
      return new Found(r.resultedAt(), r.id(), r.patientId(), ObservationMapping.lab(r));
    }

    static Found of(ImportedFhir.Match m) {
      return new Found(m.at(), m.id(), m.patient(), (Observation) m.resource());
    }
  }
}
