package io.caduceus.api.fhir.bulk;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.fhir.FhirHandlers;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.routing.TenantContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A checked {@code $export} kick-off: its level ({@code system}, {@code patient} or {@code group}), the group, the
 * types to export (what {@code _type} names, or every type the level can hold, in registry order) and
 * {@code _since}.
 */
public record BulkKickOff(String level, UUID groupId, List<String> types, Instant since, String url) {

  /** What {@code _outputFormat} may name: NDJSON, in any of the spellings the IG allows. */
  static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

  public BulkKickOff {
    types = List.copyOf(types);
  }

  /** The raw request, as the handler read it. */
  public record Raw(String level, String groupId, String prefer, String accept, String type, String since,
                    String outputFormat, String url) {
  }

  /** Checks a kick-off against the types the level can hold; every problem answers 400 naming it. */
  public static BulkKickOff of(TenantContext ctx, Raw raw, Map<String, FhirType> exportable) {
    if (raw.prefer() == null || !raw.prefer().toLowerCase(Locale.ROOT).contains("respond-async")) {
      throw new Invalid("Prefer", "must be respond-async: an export runs in the background");
    }
    if (raw.accept() == null || !raw.accept().contains("application/fhir+json")) {
      throw new Invalid("Accept", "must be application/fhir+json");
    }
    if (raw.outputFormat() != null && !NDJSON.contains(raw.outputFormat())) {
      throw new Invalid("_outputFormat", "only NDJSON (application/fhir+ndjson) is supported");
    }
    UUID group = null;
    if ("group".equals(raw.level())) {
      group = FhirHandlers.uuid(raw.groupId(), "group");
      if (!group.equals(ctx.tenantId().value())) {
        throw new NotFound("no such group");
      }
    }
    if (!"system".equals(raw.level()) && !exportable.containsKey("Patient")) {
      throw new Invalid("", "a Patient or Group export needs Patient search, which this server does not support yet");
    }
    return new BulkKickOff(raw.level(), group, types(raw.type(), exportable), since(raw.since()), raw.url());
  }

  private static List<String> types(String requested, Map<String, FhirType> exportable) {
    if (requested == null || requested.isBlank()) {
      return List.copyOf(exportable.keySet());
    }
    List<String> types = new ArrayList<>();
    for (String part : requested.split(",")) {
      String name = part.trim();
      if (!exportable.containsKey(name)) {
        throw new Invalid("_type", "names a type this export cannot hold (see the CapabilityStatement)");
      }
      if (!types.contains(name)) {
        types.add(name);
      }
    }
    return types;
  }

  private static Instant since(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid("_since", "is not a FHIR instant (e.g. 2026-01-01T00:00:00Z)");
    }
  }
}
