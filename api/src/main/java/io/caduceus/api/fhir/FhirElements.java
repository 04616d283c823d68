package io.caduceus.api.fhir;

import io.caduceus.api.error.Unprocessable;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;

import java.util.Set;

/**
 * Refuses what a write cannot hold: a FHIR element the record has no place for answers 422 naming it, since dropping
 * it silently would answer 200 for data the server did not keep.
 */
public final class FhirElements {

  private FhirElements() {
  }

  /** Fails naming {@code path.child} for each child of {@code element} that has a value and is not in {@code held}. */
  public static void onlyHeld(Base element, String path, Set<String> held) {
    for (Property child : element.children()) {
      if (child.hasValues() && !held.contains(child.getName())) {
        throw new Unprocessable(path + "." + child.getName() + " cannot be stored by this server");
      }
    }
  }
}
