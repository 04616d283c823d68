package io.caduceus.api.fhir;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations;

import java.util.Date;

/**
 * The facade's {@code CapabilityStatement}, made from the registered types: exactly the interactions, search
 * parameters and includes they support, nothing more.
 */
final class CapabilityStatements {

  private final FhirTypes types;
  private final Date published = new Date();

  CapabilityStatements(FhirTypes types) {
    this.types = types;
  }

  CapabilityStatement of(String base) {
    CapabilityStatement statement = new CapabilityStatement()
        .setStatus(Enumerations.PublicationStatus.ACTIVE)
        .setDate(published)
        .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE)
        .setFhirVersion(Enumerations.FHIRVersion._4_0_1)
        .setPublisher("Caduceus");
    statement.setName("Caduceus").setTitle("Caduceus FHIR R4 facade");
    statement.getSoftware().setName("Caduceus");
    statement.getImplementation().setDescription("Caduceus FHIR R4 facade").setUrl(base);
    statement.addFormat("json");
    statement.getFormat().add(new CodeType(FhirMedia.JSON));
    CapabilityStatementRestComponent rest = statement.addRest()
        .setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.getSecurity().setDescription("OAuth 2.0 bearer tokens issued by Caduceus; SMART scopes where the token "
        + "carries them. Every read and write is scoped to the token's tenant.");
    rest.setDocumentation("Every search type takes _summary=count and _total (none, estimate, accurate; the total "
        + "is exact). A token parameter takes several values separated by commas (any of them) and system|value. "
        + "_revinclude brings up to " + Includes.REVINCLUDE_CAP + " resources per value for a page of matches; "
        + "beyond that the Bundle carries an OperationOutcome (search.mode outcome) saying the results were "
        + "truncated. _include follows every reference of the page's matches.");
    for (FhirType type : types.all()) {
      CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type.name());
      for (FhirType.Interaction interaction : type.interactions()) {
        resource.addInteraction().setCode(switch (interaction) {
          case READ -> TypeRestfulInteraction.READ;
          case VREAD -> TypeRestfulInteraction.VREAD;
          case HISTORY -> TypeRestfulInteraction.HISTORYINSTANCE;
          case SEARCH -> TypeRestfulInteraction.SEARCHTYPE;
          case CREATE -> TypeRestfulInteraction.CREATE;
          case UPDATE -> TypeRestfulInteraction.UPDATE;
        });
      }
      if (type.interactions().contains(FhirType.Interaction.UPDATE)) {
        resource.setUpdateCreate(false);
        resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
        resource.setConditionalUpdate(false);
      }
      if (type.interactions().contains(FhirType.Interaction.VREAD)) {
        // Earlier versions are kept (V27) and served by vread and history.
        resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
        resource.setReadHistory(type.interactions().contains(FhirType.Interaction.HISTORY));
      }
      for (FhirType.SearchParameter p : type.searchParameters()) {
        resource.addSearchParam().setName(p.name()).setType(p.type()).setDocumentation(p.documentation());
      }
      type.includes().forEach(resource::addSearchInclude);
      types.revIncludesOf(type).forEach(resource::addSearchRevInclude);
      for (FhirTypes.Operation operation : types.operations()) {
        if (type.name().equals(operation.resourceType())) {
          resource.addOperation().setName(operation.name()).setDefinition(operation.definition());
        }
      }
    }
    for (FhirTypes.Operation operation : types.operations()) {
      if (operation.resourceType() == null) {
        rest.addOperation().setName(operation.name()).setDefinition(operation.definition());
      }
    }
    return statement;
  }
}
