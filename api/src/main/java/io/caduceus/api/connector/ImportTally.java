package io.caduceus.api.connector;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/**
 * A running job's progress: per resource type how many were created, updated, unchanged and failed, each failure's
 * remote id and reason (never a value of the record), and the newest remote lastUpdated seen.
 */
final class ImportTally {

  /** Failures kept in the job's record; the counts go on past them. */
  private static final int MAX_ERRORS = 200;

  /** What became of one remote resource. */
  enum Outcome { CREATED, UPDATED, UNCHANGED, FAILED }

  private final JsonObject counts = new JsonObject();
  private final JsonArray errors = new JsonArray();
  private OffsetDateTime newest;
  private OffsetDateTime firstSearch;

  void count(String type, Outcome outcome) {
    JsonObject ofType = counts.getJsonObject(type);
    if (ofType == null) {
      ofType = new JsonObject().put("created", 0).put("updated", 0).put("unchanged", 0).put("failed", 0);
      counts.put(type, ofType);
    }
    String key = outcome.name().toLowerCase();
    ofType.put(key, ofType.getInteger(key) + 1);
  }

  void fail(String type, String remoteId, String reason) {
    count(type, Outcome.FAILED);
    if (errors.size() < MAX_ERRORS) {
      errors.add(new JsonObject().put("resourceType", type).put("remoteId", remoteId == null ? "" : remoteId)
          .put("reason", reason));
    }
  }

  void seen(OffsetDateTime lastUpdated) {
    if (lastUpdated != null && (newest == null || lastUpdated.isAfter(newest))) {
      newest = lastUpdated;
    }
  }

  /** The remote's own time of the job's first search page (its Bundle's lastUpdated), if it told it. */
  void searched(OffsetDateTime at) {
    if (firstSearch == null) {
      firstSearch = at;
    }
  }

  /**
   * Where the connector's checkpoint may move: the newest lastUpdated seen, but never past the remote's time of the
   * first search, since a record changed while the job walked other types may not have been read.
   */
  OffsetDateTime checkpoint() {
    return newest == null || firstSearch == null || newest.isBefore(firstSearch) ? newest : firstSearch;
  }

  JsonObject counts() {
    return counts.copy();
  }

  JsonArray errors() {
    return errors.copy();
  }

}
