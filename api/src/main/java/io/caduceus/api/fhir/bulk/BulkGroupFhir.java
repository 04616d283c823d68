package io.caduceus.api.fhir.bulk;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.fhir.FhirHandlers;
import io.caduceus.api.fhir.FhirPage;
import io.caduceus.api.fhir.FhirQuery;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.r4.model.Group;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Group}: the model has no care teams or facilities yet (issue 15 adds care teams), so each tenant has one
 * well-known group, "all patients", whose id is the tenant's id. Its members are not listed (they are every patient
 * the caller may read); it exists so that {@code Group/{id}/$export} has a group to name.
 */
public final class BulkGroupFhir implements FhirType {

  @Override
  public String name() {
    return "Group";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of();
  }

  @Override
  public Future<Group> read(TenantContext ctx, String id) {
    return Access.check(ctx, Permission.PATIENT_READ).map(v -> {
      if (!FhirHandlers.uuid(id, "group").equals(ctx.tenantId().value())) {
        throw new NotFound("no such group");
      }
      return of(ctx);
    });
  }

  /** The group as an export finds it: it never changes, so an export {@code _since} a time leaves it out. */
  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .map(v -> FhirPage.of(query.filtered() ? List.of() : List.of(of(ctx)), null));
  }

  /** The id of the tenant's group of all its patients. */
  static String idOf(TenantContext ctx) {
    return ctx.tenantId().value().toString();
  }

  private static Group of(TenantContext ctx) {
    Group group = new Group();
    group.setId(idOf(ctx));
    group.setType(Group.GroupType.PERSON).setActual(true).setName("All patients");
    return group;
  }
}
