package io.caduceus.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;

import java.util.List;

/**
 * A contract that answers every question from another: the base of the views of the contract that change one
 * answer ({@link ValidatorCache} its schema repository, {@link PrefixRouters.View} its paths) and pass on the rest.
 */
abstract class DelegatingContract implements OpenAPIContract {

  /** The contract every answer not overridden comes from. */
  protected final OpenAPIContract delegate;

  protected DelegatingContract(OpenAPIContract delegate) {
    this.delegate = delegate;
  }

  @Override
  public Operation operation(String operationId) {
    return delegate.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return delegate.operations();
  }

  @Override
  public List<Path> getPaths() {
    return delegate.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return delegate.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return delegate.getVersion();
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return delegate.getSchemaRepository();
  }

  @Override
  public List<Server> getServers() {
    return delegate.getServers();
  }

  @Override
  public Path findPath(String urlPath) {
    return delegate.findPath(urlPath);
  }

  @Override
  public Operation findOperation(String urlPath, HttpMethod method) {
    return delegate.findOperation(urlPath, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return delegate.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return delegate.securityScheme(name);
  }
}
