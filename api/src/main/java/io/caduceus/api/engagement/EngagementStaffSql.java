package io.caduceus.api.engagement;

/**
 * The SQL by which engagement reads the clinic's practitioner profiles, in one place. Every statement runs under the
 * tenant's row-level security.
 */
final class EngagementStaffSql {

  /** The profiles of the staff members among the user ids ($1). */
  static final String PROFILES = """
      SELECT user_id, given_name, email
      FROM practitioner
      WHERE user_id = ANY($1)
      """;

  static final String NAME = """
      SELECT given_name, family_name
      FROM practitioner
      WHERE id = $1
      """;

  private EngagementStaffSql() {
  }
}
