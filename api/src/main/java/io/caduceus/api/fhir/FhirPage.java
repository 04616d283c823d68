package io.caduceus.api.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * One page of a search: the matches, what {@code _include}/{@code _revinclude} brought with them (always of the
 * same tenant: they are read through the same services, under the same scope), the cursor to the next page (null at
 * the end), the total when it is known ({@code _summary=count} or {@code _total}), and warnings about the page
 * (such as a {@code _revinclude} cut at its cap), which the Bundle carries as an OperationOutcome.
 */
public record FhirPage(List<? extends IBaseResource> matches, List<? extends IBaseResource> included, String nextCursor,
                       Integer total, List<String> warnings) {

  public FhirPage {
    matches = List.copyOf(matches);
    included = List.copyOf(included);
    warnings = List.copyOf(warnings);
  }

  /** A page without warnings. */
  public FhirPage(List<? extends IBaseResource> matches, List<? extends IBaseResource> included, String nextCursor,
                  Integer total) {
    this(matches, included, nextCursor, total, List.of());
  }

  /** A page without includes. */
  public static FhirPage of(List<? extends IBaseResource> matches, String nextCursor) {
    return new FhirPage(matches, List.of(), nextCursor, null);
  }

  /** The answer to {@code _summary=count}. */
  public static FhirPage count(int total) {
    return new FhirPage(List.of(), List.of(), null, total);
  }

  /**
   * The total of a count: as given, or the matches of a complete page (a search that matched nothing without asking
   * its service, such as one naming no valid id).
   */
  public int counted() {
    return total != null ? total : matches.size();
  }

  /** This page with its total. */
  public FhirPage withTotal(int count) {
    return new FhirPage(matches, included, nextCursor, count, warnings);
  }
}
