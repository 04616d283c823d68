package io.caduceus.api.http;

import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract, with its schema validators built once instead of once per parameter per request.
 *
 * <p>vertx-openapi 5.0.8 asks the schema repository for a new validator for every parameter and body it checks,
 * and each new vertx-json-schema validator copies the repository's whole lookup map of the contract's schemas.
 * Profiling put that at a third of the server's CPU under load. A validator never changes after construction
 * (its lookup is only read while validating), so this wrapper hands out one validator per schema instance,
 * keyed by identity: the contract model's schema objects live as long as the contract. The validators share one
 * copy of the lookup ({@link SharedLookups}).
 */
public final class ValidatorCache extends DelegatingContract {

  private final SchemaRepository repository;

  private ValidatorCache(OpenAPIContract delegate) {
    super(delegate);
    this.repository = new CachingRepository(delegate.getSchemaRepository());
  }

  /** The contract with validators cached. */
  public static OpenAPIContract over(OpenAPIContract contract) {
    return new ValidatorCache(contract);
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return repository;
  }

  /** A repository that remembers the validator of each schema instance. */
  private static final class CachingRepository implements SchemaRepository {

    private final SchemaRepository delegate;
    private final Map<Identity, Validator> validators = new ConcurrentHashMap<>();
    private final SharedLookups lookups = new SharedLookups();

    CachingRepository(SchemaRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      return validators.computeIfAbsent(new Identity(schema), id -> lookups.share(delegate.validator(schema)));
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return delegate.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return delegate.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return delegate.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return delegate.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return delegate.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return delegate.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return delegate.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return delegate.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return delegate.find(pointer);
    }
  }

  /** A key that compares by reference. */
  private record Identity(Object value) {

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity that && that.value == value;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(value);
    }
  }
}
