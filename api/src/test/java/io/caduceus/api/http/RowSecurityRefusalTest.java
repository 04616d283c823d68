package io.caduceus.api.http;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of "an RLS refusal leaks through as a 500": whatever operation a service forgot to guard, the
 * database's refusal of a row outside the actor's reach is answered as a 403 problem, never as a 500.
 */
class RowSecurityRefusalTest extends ClinicFixture {

  @Test
  void aRowSecurityRefusalIsAForbiddenProblemThatNamesNothingOfTheDatabase() {
    String self = clinic.patient("Self", "Sara").getString("id");
    String other = clinic.patient("Other", "Otto").getString("id");
    Vertx vertx = platform.app().vertx();
    Throwable refusal = refusalAsPatient(vertx, clinic, self, other);
    assertThat(refusal).isInstanceOf(PgException.class);
    assertThat(((PgException) refusal).getSqlState()).isEqualTo("42501");

    Router router = Router.router(vertx);
    router.get("/refused").handler(rc -> rc.fail(refusal));
    router.route().failureHandler(new ProblemHandler());
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    try {
      Api.Response r = expect(new Api(server.actualPort()).get("/refused", null), 403);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getString("type")).isEqualTo("urn:caduceus:problem:forbidden");
      assertThat(r.body()).doesNotContain("row-level").doesNotContain("device").doesNotContain(other);
    } finally {
      await(server.close());
    }
  }

  /** The real refusal: as the app role, acting for one patient, a device row written for another. */
  private Throwable refusalAsPatient(Vertx vertx, Clinic clinic, String self, String other) {
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.owner("us"));
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(app.connectOptions())
        .using(vertx).build();
    try {
      Future<Void> write = pool.withTransaction(conn -> conn.preparedQuery("SELECT set_config('app.tenant_id', $1,"
              + " true), set_config('app.patient_id', $2, true)").execute(Tuple.of(clinic.tenant.id().toString(), self))
          .compose(v -> conn.preparedQuery("INSERT INTO device (tenant_id, id, patient_id, token, platform)"
              + " VALUES ($1, $2, $3, $4, 'android')").execute(Tuple.of(clinic.tenant.id().value(), UUID.randomUUID(),
              UUID.fromString(other), "fcm-" + UUID.randomUUID())))
          .mapEmpty());
      return failure(write);
    } finally {
      await(pool.close());
    }
  }
}
