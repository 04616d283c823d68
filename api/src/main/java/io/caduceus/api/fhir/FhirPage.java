package io.caduceus.api.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * One page of a search: the matches, what {@code _include}/{@code _revinclude} brought with them (always of the
 * same tenant: they are read through the same services, under the same scope), the cursor to the next page (null at
 * the end), and the total when it is known ({@code _summary=count}, or a last page).
 */
public record FhirPage(List<? extends IBaseResource> matches, List<? extends IBaseResource> included, String nextCursor,
                       Integer total) {

  public FhirPage {
    matches = List.copyOf(matches);
    included = List.copyOf(included);
  }

  /** A page without includes. */
  public static FhirPage of(List<? extends IBaseResource> matches, String nextCursor) {
    return new FhirPage(matches, List.of(), nextCursor, null);
  }

  /** The answer to {@code _summary=count}. */
  public static FhirPage count(int total) {
    return new FhirPage(List.of(), List.of(), null, total);
  }
}
