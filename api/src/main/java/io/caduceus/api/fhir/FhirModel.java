package io.caduceus.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.caduceus.api.error.Invalid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * HAPI FHIR's R4 model: the resources and their JSON. Building it reads every structure definition's classes
 * (about a second of CPU), so it is built on a worker at the facade's first request, not at start: a node that
 * serves no FHIR client never pays for it, and start-up stays within its budget. Parsers are made per use (HAPI's
 * are not thread-safe); the context itself is.
 */
public final class FhirModel {

  private final Vertx vertx;
  private Future<FhirModel> loaded;
  private volatile FhirContext context;
  private List<String> resourceTypes = List.of();

  public FhirModel(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The resource types the facade serves, whose definitions the load scans too: HAPI scans a type's definition the
   * first time it meets the type, and on an event loop that first encoding blocked it for seconds.
   */
  public synchronized void serves(Collection<String> types) {
    resourceTypes = List.copyOf(types);
  }

  /** This model once HAPI's context is built and its types scanned (at once after the first time). */
  public synchronized Future<FhirModel> ready() {
    if (loaded == null) {
      List<String> scanned = new ArrayList<>(resourceTypes);
      scanned.addAll(List.of("Bundle", "OperationOutcome", "CapabilityStatement"));
      loaded = vertx.executeBlocking(() -> {
        FhirContext built = FhirContext.forR4Cached();
        scanned.forEach(built::getResourceDefinition);
        context = built;
        return this;
      }, false);
    }
    return loaded;
  }

  /** HAPI's context; only after {@link #ready()}. */
  public FhirContext context() {
    FhirContext built = context;
    if (built == null) {
      throw new IllegalStateException("the FHIR model is not loaded yet");
    }
    return built;
  }

  /** A resource as the bytes the facade answers: HAPI's JSON, encoded once. */
  public Buffer encode(IBaseResource resource) {
    return Buffer.buffer(context().newJsonParser().encodeResourceToString(resource));
  }

  /**
   * A request body read as a resource of the given type, strictly: an unknown element, a wrong type or a body that
   * is not that resource answers 400 naming what is wrong (HAPI's message names elements, never values).
   */
  public <T extends IBaseResource> T parse(Class<T> type, Buffer body) {
    IParser parser = context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    try {
      return parser.parseResource(type, body.toString());
    } catch (DataFormatException e) {
      throw new Invalid("", "is not a valid FHIR " + type.getSimpleName() + " resource");
    }
  }
}
