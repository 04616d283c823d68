package io.caduceus.api.organisation;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A request's groups in force: all the member's groups under a combined view, the one their session chose under a
 * switchable view (none until they choose), leaving out closed departments and care teams, as the database's
 * {@code scope_groups()} derives them (region V32). For grant resolution (a grant limited to a facility or care
 * team). Not cached: a membership or a choice takes effect on the next request, and no invalidation could be exact
 * across nodes without a round trip anyway.
 */
public final class GroupsInForce {

  /** The facility, department and care team ids in force; a department's facility counts among the facilities. */
  public record Groups(Set<UUID> facilityIds, Set<UUID> departmentIds, Set<UUID> careTeamIds) {

    /** Every group id in force, whatever its kind: what a grant limited to a group is compared with. */
    public Set<UUID> all() {
      Set<UUID> all = new HashSet<>(facilityIds);
      all.addAll(departmentIds);
      all.addAll(careTeamIds);
      return Set.copyOf(all);
    }

    static Groups of(List<StaffGroup> groups) {
      return new Groups(groups.stream().map(g -> "facility".equals(g.kind()) ? g.id()
              : "department".equals(g.kind()) ? g.facilityId() : null)
          .filter(id -> id != null).collect(Collectors.toUnmodifiableSet()),
          ids(groups, "department"), ids(groups, "care_team"));
    }

    private static Set<UUID> ids(List<StaffGroup> groups, String kind) {
      return groups.stream().filter(g -> kind.equals(g.kind())).map(StaffGroup::id)
          .collect(Collectors.toUnmodifiableSet());
    }
  }

  private static final Groups NONE = new Groups(Set.of(), Set.of(), Set.of());

  private final TenantDb db;
  private final OrganisationRepository repository = new OrganisationRepository();

  public GroupsInForce(TenantDb db) {
    this.db = db;
  }

  /** The groups in force for the context's user and session (none for a patient), in a transaction of their own. */
  public Future<Groups> of(TenantContext ctx) {
    return ctx.actsAsPatient() ? Future.succeededFuture(NONE)
        : db.inTenant(ctx, conn -> of(conn, ctx.userId(), ctx.sessionId()));
  }

  /** The same, read on {@code conn}: inside the caller's transaction, so a write needs no transaction of its own. */
  public Future<Groups> of(SqlConnection conn, TenantContext ctx) {
    return ctx.actsAsPatient() ? Future.succeededFuture(NONE) : of(conn, ctx.userId(), ctx.sessionId());
  }

  /**
   * The groups in force for a staff member of the context's tenant outside any session (an admin's view of the
   * member): all their open groups under a combined view; none under a switchable view, where only a session's
   * chosen group is ever in force.
   */
  public Future<Groups> ofMember(TenantContext ctx, UUID user) {
    return db.inTenant(ctx, conn -> of(conn, user, null));
  }

  /** A member of no group (every member of a small clinic) costs one statement: the policy is read only after. */
  private Future<Groups> of(SqlConnection conn, UUID user, UUID session) {
    return repository.staffGroups(conn, user)
        .compose(groups -> groups.isEmpty() ? Future.succeededFuture(groups) : repository.policy(conn)
            .compose(policy -> policy.combined() || session == null
                ? Future.succeededFuture(policy.combined() ? groups : List.<StaffGroup>of())
                : repository.sessionGroup(conn, session, user).map(chosen -> active(groups, chosen))))
        .map(groups -> Groups.of(groups.stream().filter(StaffGroup::inForce).toList()));
  }

  /**
   * Keeps the caller's groups in force for work that runs later as {@code standIn}, a session of its own (a bulk
   * export's job id): under a switchable view, the group the caller's session has chosen now is copied to it, so
   * the work sees what the caller saw when they asked, whatever their session chooses later; under a combined view
   * the stand-in needs nothing. Runs in the caller's transaction ({@code conn}).
   */
  public Future<Void> pin(SqlConnection conn, TenantContext ctx, UUID standIn) {
    return ctx.sessionId() == null || ctx.actsAsPatient() ? Future.succeededFuture()
        : repository.pinSessionGroup(conn, ctx.sessionId(), standIn, ctx.userId());
  }

  /** Forgets the stand-in sessions' groups once their work is gone. */
  public Future<Void> unpin(SqlConnection conn, List<UUID> standIns) {
    return standIns.isEmpty() ? Future.succeededFuture() : repository.dropSessionGroups(conn, standIns);
  }

  private static List<StaffGroup> active(List<StaffGroup> groups, Optional<UUID> chosen) {
    return groups.stream().filter(g -> chosen.filter(g.id()::equals).isPresent()).toList();
  }
}
