package io.caduceus.api.fhir.bulk;

/**
 * What one tenant's exports may take: jobs running at once in the tenant and per requester (a kick-off beyond either
 * answers 429), resources and characters per NDJSON file (a type goes on in another file past either), and resources
 * per job (past it the job ends with an error entry instead of running on).
 */
public record BulkLimits(int activePerTenant, int activePerRequester, int resourcesPerFile, int charsPerFile,
                         int resourcesPerJob) {

  /** The defaults: two jobs per tenant, one per requester, 10,000 resources or 8 MB a file, a million a job. */
  public static final BulkLimits DEFAULTS = new BulkLimits(2, 1, 10_000, 8_000_000, 1_000_000);

  public BulkLimits {
    if (activePerTenant < 1 || activePerRequester < 1 || resourcesPerFile < 1 || charsPerFile < 1
        || resourcesPerJob < 1) {
      throw new IllegalArgumentException("every bulk export limit must be at least 1");
    }
  }
}
