package io.caduceus.api.fhir;

import io.caduceus.api.connector.ImportedResource;
import io.caduceus.api.connector.ImportedResourceFilter;
import io.caduceus.api.connector.ImportedResourceService;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The records imported from a tenant's legacy EHR as the facade's Condition, Observation and MedicationRequest show
 * them beside the native ones: read by id when no native record has it, and listed in the same keyset order (time,
 * then id) so one sealed cursor pages over both sources. Each source is read after the cursor's position for one
 * more than the page; the merged page takes the first of both, so nothing is listed twice or skipped.
 */
public final class ImportedFhir {

  /** A match of either source, with its place in the listing. */
  record Match(Instant at, UUID id, UUID patient, IBaseResource resource) {
  }

  private final ImportedResourceService records;
  private final FhirModel model;

  public ImportedFhir(ImportedResourceService records, FhirModel model) {
    this.records = records;
    this.model = model;
  }

  /** One imported record of the type, served as ours; NotFound when there is none the caller may see. */
  Future<IBaseResource> read(TenantContext ctx, String type, UUID id) {
    return records.get(ctx, type, id).map(r -> ImportedMapping.of(model.context(), r));
  }

  /** Up to {@code limit} imported matches after the position; none when the filter is null (the search excludes them). */
  Future<List<Match>> search(TenantContext ctx, ImportedResourceFilter filter, Position after, int limit,
                             boolean ascending) {
    if (filter == null) {
      return Future.succeededFuture(List.of());
    }
    return records.search(ctx, filter, after, limit, ascending).map(found -> found.stream()
        .map(r -> new Match(r.importedAt(), r.id(), r.patientId(), ImportedMapping.of(model.context(), r)))
        .toList());
  }

  /** How many imported records the search matches (0 when it cannot include them: a null filter). */
  Future<Integer> count(TenantContext ctx, ImportedResourceFilter filter) {
    return records.count(ctx, filter);
  }

  /** Both sources' matches as one listing, as long as the page asked for. */
  static List<Match> merge(List<Match> a, List<Match> b, int limit, boolean ascending) {
    List<Match> all = new ArrayList<>(a);
    all.addAll(b);
    Comparator<Match> order = Comparator.comparing(Match::at).thenComparing(Match::id);
    all.sort(ascending ? order : order.reversed());
    return all.size() > limit ? all.subList(0, limit) : all;
  }

  /**
   * The coding lists a token parameter matches in any code system ({@code system|code}, {@code code} or
   * {@code system|}), as JSON a stored coding array must contain; null when the parameter is not given, and none
   * (an empty list) when it is repeated, an AND of codes these filters cannot express.
   */
  static List<String> codings(FhirQuery query, String parameter) {
    List<String> values = query.all(parameter);
    if (values.isEmpty()) {
      return null;
    }
    List<String> codings = new ArrayList<>();
    if (values.size() > 1) {
      return codings;
    }
    for (String value : values.get(0).split(",")) {
      FhirQuery.Token token = FhirQuery.Token.of(value.trim());
      JsonObject coding = new JsonObject();
      if (token.system() != null && !token.system().isEmpty()) {
        coding.put("system", token.system());
      }
      if (token.code() != null && !token.code().isEmpty()) {
        coding.put("code", token.code());
      }
      if (!coding.isEmpty()) {
        codings.add(new JsonArray().add(coding).encode());
      }
    }
    return codings;
  }

  /** The categories a token parameter matches, as JSON a stored category array must contain; null when not given. */
  static List<String> categories(FhirQuery query, String parameter) {
    List<String> codings = codings(query, parameter);
    return codings == null ? null : codings.stream()
        .map(c -> new JsonArray().add(new JsonObject().put("coding", new JsonArray(c))).encode()).toList();
  }

  /** The codes of a token parameter in the given system (or without one); null when not given, none when repeated. */
  static List<String> codes(FhirQuery query, String parameter, String system) {
    List<String> values = query.all(parameter);
    if (values.isEmpty()) {
      return null;
    }
    List<String> codes = new ArrayList<>();
    if (values.size() > 1) {
      return codes;
    }
    for (String value : values.get(0).split(",")) {
      FhirQuery.Token token = FhirQuery.Token.of(value.trim());
      if (token.code() != null && (token.system() == null || token.system().equals(system))) {
        codes.add(token.code());
      }
    }
    return codes;
  }

  /** The start of a range as an instant, null when open (or no range). */
  static Instant from(FhirQuery.DateRange range) {
    return range == null || range.from() == null ? null : range.from().toInstant();
  }

  /** The end of a range as an instant, null when open (or no range). */
  static Instant to(FhirQuery.DateRange range) {
    return range == null || range.to() == null ? null : range.to().toInstant();
  }
}
