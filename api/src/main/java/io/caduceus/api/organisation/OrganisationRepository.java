package io.caduceus.api.organisation;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/**
 * Organisation rows. Every method runs on a connection {@code TenantDb} opened for the caller's tenant; what every
 * kind of group shares (find, close, pages in name order) is {@link GroupTable}'s.
 */
final class OrganisationRepository {

  /** The kind of a group an id names ({@code facility}, {@code department}, {@code care_team}) and its status. */
  record GroupRef(String kind, String status) {

    boolean open() {
      return "active".equals(status);
    }
  }

  Future<Facility> insertFacility(SqlConnection conn, TenantContext ctx, String name, JsonObject address,
                                  String timeZone) {
    return conn.preparedQuery(OrganisationSql.FACILITY_INSERT).execute(Tuple.from(new Object[] {
            ctx.tenantId().value(), UuidV7.next(), name, address, timeZone, ctx.userId()}))
        .map(rows -> Rows.optional(rows, Facility::fromRow).orElseThrow());
  }

  Future<Optional<Facility>> facility(SqlConnection conn, UUID id) {
    return GroupTable.FACILITY.find(conn, id, null);
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<Facility>> updateFacility(SqlConnection conn, UUID id, int version, String name,
                                            JsonObject address, String timeZone) {
    return conn.preparedQuery(OrganisationSql.FACILITY_UPDATE)
        .execute(Tuple.from(new Object[] {id, version, name, address, timeZone}))
        .map(rows -> Rows.optional(rows, Facility::fromRow));
  }

  /** A page of a FHIR Location search (see {@link OrganisationSql#facilitySearch}), after the key when given. */
  Future<List<Facility>> searchFacilities(SqlConnection conn, FacilitySearch q, String afterName, UUID afterId,
                                          int limit) {
    Map<OrganisationSql.FacilityFilter, List<Object>> filters = filters(q);
    if (afterName != null) {
      filters.put(OrganisationSql.FacilityFilter.AFTER, List.of(afterName, afterId));
    }
    return conn.preparedQuery(OrganisationSql.facilitySearch(shape(filters)))
        .execute(arguments(filters).addInteger(limit)).map(rows -> Rows.list(rows, Facility::fromRow));
  }

  /** How many facilities a FHIR Location search matches. */
  Future<Integer> countFacilities(SqlConnection conn, FacilitySearch q) {
    Map<OrganisationSql.FacilityFilter, List<Object>> filters = filters(q);
    return conn.preparedQuery(OrganisationSql.facilityCount(shape(filters))).execute(arguments(filters))
        .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
  }

  private static Set<OrganisationSql.FacilityFilter> shape(Map<OrganisationSql.FacilityFilter, List<Object>> filters) {
    return filters.isEmpty() ? EnumSet.noneOf(OrganisationSql.FacilityFilter.class) : EnumSet.copyOf(filters.keySet());
  }

  private static Tuple arguments(Map<OrganisationSql.FacilityFilter, List<Object>> filters) {
    Tuple args = Tuple.tuple();
    filters.values().forEach(values -> values.forEach(args::addValue));
    return args;
  }

  private static Map<OrganisationSql.FacilityFilter, List<Object>> filters(FacilitySearch q) {
    Map<OrganisationSql.FacilityFilter, List<Object>> filters = new EnumMap<>(OrganisationSql.FacilityFilter.class);
    if (q.ids() != null) {
      filters.put(OrganisationSql.FacilityFilter.IDS, List.of((Object) q.ids().toArray(UUID[]::new)));
    }
    if (q.names() != null) {
      filters.put(OrganisationSql.FacilityFilter.NAMES, List.of((Object) FacilitySearch.prefixes(q.names())));
    }
    if (q.addresses() != null) {
      filters.put(OrganisationSql.FacilityFilter.ADDRESSES, List.of((Object) FacilitySearch.prefixes(q.addresses())));
    }
    if (q.cities() != null) {
      filters.put(OrganisationSql.FacilityFilter.CITIES, List.of((Object) FacilitySearch.prefixes(q.cities())));
    }
    if (q.statuses() != null) {
      filters.put(OrganisationSql.FacilityFilter.STATUSES, List.of((Object) q.statuses().toArray(String[]::new)));
    }
    if (q.updatedFrom() != null) {
      filters.put(OrganisationSql.FacilityFilter.UPDATED_FROM, List.of(utc(q.updatedFrom())));
    }
    if (q.updatedBefore() != null) {
      filters.put(OrganisationSql.FacilityFilter.UPDATED_BEFORE, List.of(utc(q.updatedBefore())));
    }
    return filters;
  }

  Future<Department> insertDepartment(SqlConnection conn, TenantContext ctx, UUID facilityId, String name,
                                      String kind) {
    return conn.preparedQuery(OrganisationSql.DEPARTMENT_INSERT).execute(Tuple.from(new Object[] {
            ctx.tenantId().value(), UuidV7.next(), facilityId, name, kind, ctx.userId()}))
        .map(rows -> Rows.optional(rows, Department::fromRow).orElseThrow());
  }

  /** The department of the id within the facility. */
  Future<Optional<Department>> department(SqlConnection conn, UUID facilityId, UUID id) {
    return GroupTable.DEPARTMENT.find(conn, id, facilityId);
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<Department>> updateDepartment(SqlConnection conn, UUID id, int version, String name, String kind) {
    return conn.preparedQuery(OrganisationSql.DEPARTMENT_UPDATE).execute(Tuple.of(id, version, name, kind))
        .map(rows -> Rows.optional(rows, Department::fromRow));
  }

  Future<CareTeam> insertCareTeam(SqlConnection conn, TenantContext ctx, String name, UUID facilityId,
                                  String description) {
    return conn.preparedQuery(OrganisationSql.CARE_TEAM_INSERT).execute(Tuple.from(new Object[] {
            ctx.tenantId().value(), UuidV7.next(), name, facilityId, description, ctx.userId()}))
        .map(rows -> Rows.optional(rows, CareTeam::fromRow).orElseThrow());
  }

  /** A care team with its staff members. */
  Future<Optional<CareTeam>> careTeam(SqlConnection conn, UUID id) {
    return GroupTable.CARE_TEAM.find(conn, id, null)
        .compose(found -> found.isEmpty() ? Future.succeededFuture(found)
            : conn.preparedQuery(OrganisationSql.CARE_TEAM_MEMBERS).execute(Tuple.of(id))
                .map(rows -> Optional.of(found.get().withMembers(Rows.list(rows, r -> r.getUUID("user_id"))))));
  }

  /** Writes new values if the row is still at {@code version}; empty otherwise. */
  Future<Optional<CareTeam>> updateCareTeam(SqlConnection conn, UUID id, int version, String name,
                                            String description, UUID facilityId) {
    return conn.preparedQuery(OrganisationSql.CARE_TEAM_UPDATE)
        .execute(Tuple.from(new Object[] {id, version, name, description, facilityId}))
        .map(rows -> Rows.optional(rows, CareTeam::fromRow));
  }

  /** Whether the caller sees the patient (row-level security decides). */
  Future<Boolean> patientVisible(SqlConnection conn, UUID patientId) {
    return conn.preparedQuery(OrganisationSql.PATIENT_VISIBLE).execute(Tuple.of(patientId))
        .map(rows -> rows.size() > 0);
  }

  /** Up to {@code limit} of the team's patients the caller sees, in id order, after {@code afterPatient}. */
  Future<List<CareTeamPatient>> careTeamPatients(SqlConnection conn, UUID teamId, UUID afterPatient, int limit) {
    return conn.preparedQuery(OrganisationSql.CARE_TEAM_PATIENTS).execute(Tuple.of(teamId, afterPatient, limit))
        .map(rows -> Rows.list(rows, CareTeamPatient::fromRow));
  }

  Future<Void> linkCareTeamPatient(SqlConnection conn, TenantContext ctx, UUID teamId, UUID patientId, boolean on) {
    return (on
        ? conn.preparedQuery(OrganisationSql.CARE_TEAM_PATIENT_ADD)
            .execute(Tuple.of(ctx.tenantId().value(), patientId, teamId, ctx.userId()))
        : conn.preparedQuery(OrganisationSql.CARE_TEAM_PATIENT_REMOVE).execute(Tuple.of(patientId, teamId)))
        .mapEmpty();
  }

  Future<Void> linkPatientFacility(SqlConnection conn, TenantContext ctx, UUID patientId, UUID facilityId,
                                   boolean on) {
    return (on
        ? conn.preparedQuery(OrganisationSql.PATIENT_FACILITY_ADD)
            .execute(Tuple.of(ctx.tenantId().value(), patientId, facilityId, ctx.userId()))
        : conn.preparedQuery(OrganisationSql.PATIENT_FACILITY_REMOVE).execute(Tuple.of(patientId, facilityId)))
        .mapEmpty();
  }

  /** The kind and status of the group the id names, if any. */
  Future<Optional<GroupRef>> groupKind(SqlConnection conn, UUID groupId) {
    return conn.preparedQuery(OrganisationSql.GROUP_KIND).execute(Tuple.of(groupId))
        .map(rows -> Rows.optional(rows, r -> new GroupRef(r.getString("kind"), r.getString("status"))));
  }

  Future<Void> linkStaffGroup(SqlConnection conn, TenantContext ctx, UUID userId, UUID groupId, String kind) {
    return (kind != null
        ? conn.preparedQuery(OrganisationSql.STAFF_GROUP_ADD)
            .execute(Tuple.of(ctx.tenantId().value(), userId, groupId, kind, ctx.userId()))
        : conn.preparedQuery(OrganisationSql.STAFF_GROUP_REMOVE).execute(Tuple.of(userId, groupId)))
        .mapEmpty();
  }

  Future<List<StaffGroup>> staffGroups(SqlConnection conn, UUID userId) {
    return conn.preparedQuery(OrganisationSql.STAFF_GROUPS).execute(Tuple.of(userId))
        .map(rows -> Rows.list(rows, StaffGroup::fromRow));
  }

  /** The group the session chose, if it chose one. */
  Future<Optional<UUID>> sessionGroup(SqlConnection conn, UUID sessionId, UUID userId) {
    return conn.preparedQuery(OrganisationSql.SESSION_GROUP).execute(Tuple.of(sessionId, userId))
        .map(rows -> Rows.optional(rows, r -> r.getUUID("group_id")));
  }

  Future<Void> chooseSessionGroup(SqlConnection conn, TenantContext ctx, UUID groupId) {
    return conn.preparedQuery(OrganisationSql.SESSION_GROUP_SET)
        .execute(Tuple.of(ctx.tenantId().value(), ctx.sessionId(), ctx.userId(), groupId)).mapEmpty();
  }

  /** Copies the session's chosen group, if any, to the stand-in session {@code standIn}. */
  Future<Void> pinSessionGroup(SqlConnection conn, UUID sessionId, UUID standIn, UUID userId) {
    return conn.preparedQuery(OrganisationSql.SESSION_GROUP_PIN).execute(Tuple.of(sessionId, standIn, userId))
        .mapEmpty();
  }

  /** Forgets the groups the sessions chose. */
  Future<Void> dropSessionGroups(SqlConnection conn, List<UUID> sessions) {
    return conn.preparedQuery(OrganisationSql.SESSION_GROUP_DROP)
        .execute(Tuple.tuple().addArrayOfUUID(sessions.toArray(UUID[]::new))).mapEmpty();
  }

  /** The tenant's policy, or the defaults at version 0. */
  Future<AccessPolicy> policy(SqlConnection conn) {
    return conn.preparedQuery(OrganisationSql.POLICY).execute()
        .map(rows -> Rows.optional(rows, AccessPolicy::fromRow).orElse(AccessPolicy.DEFAULTS));
  }

  /** Stores the policy if the stored one is still at {@code version} (0: none stored); empty otherwise. */
  Future<Optional<AccessPolicy>> savePolicy(SqlConnection conn, TenantContext ctx, int version, AccessPolicy p) {
    return (version == 0
        ? conn.preparedQuery(OrganisationSql.POLICY_INSERT).execute(Tuple.of(ctx.tenantId().value(), p.scope(),
            p.groupView(), p.breakGlassMinutes(), ctx.userId()))
        : conn.preparedQuery(OrganisationSql.POLICY_UPDATE).execute(Tuple.of(version, p.scope(), p.groupView(),
            p.breakGlassMinutes(), ctx.userId())))
        .map(rows -> Rows.optional(rows, AccessPolicy::fromRow));
  }
}
