package io.caduceus.api;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.ConfigLoader;
import io.caduceus.api.boot.StartupPhases;
import io.caduceus.api.boot.StopSignals;
import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.routing.router.RouterMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The launcher: {@code java -jar api/target/caduceus.jar [--config FILE]}. With no configuration it runs embedded
 * PostgreSQL and Redis under {@code ./caduceus-data} and seeds a demo platform. {@code ... caduceus.jar router}
 * runs the region router instead ({@link RouterMain}, in tenant-routing).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /** Starts a node (or, given {@code router}, the region router) and prints how to reach it. */
  public static void main(String[] args) {
    if (args.length > 0 && "router".equals(args[0])) {
      RouterMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    long started = System.nanoTime();
    StartupPhases phases = StartupPhases.fromJvmStart();
    AppConfig config = phases.time("config", () -> ConfigLoader.load(args, System.getenv()));
    Application.start(config, phases)
        .onSuccess(app -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          banner(System.out, config, app, ms);
          long bound = stopBoundSeconds(config.shutdown());
          // On SIGTERM or SIGINT: drain, stop, then exit 0 (1 if the stop overran its bound). The hook covers any
          // other exit; after a signal it finds the node already stopped.
          StopSignals.onStop(() -> System.exit(stopWithin(app, bound) ? 0 : 1));
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithin(app, bound)));
        })
        .onFailure(e -> {
          LOG.error("Caduceus did not start: {}", e.getMessage() == null ? e.getClass().getName() : e.getMessage());
          System.exit(1);
        });
  }

  // Runs on a signal or shutdown thread, never an event loop: waiting here lets requests drain and pools close.
  private static boolean stopWithin(Application app, long seconds) {
    CountDownLatch stopped = new CountDownLatch(1);
    app.stop().onComplete(done -> stopped.countDown());
    try {
      return stopped.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The unready time, the drain, as long again for the background work, and time to close everything. */
  private static long stopBoundSeconds(AppConfig.Shutdown shutdown) {
    return shutdown.unready().plus(shutdown.drain().multipliedBy(2)).toSeconds() + 15;
  }

  private static void banner(PrintStream out, AppConfig config, Application app, long ms) {
    String url = config.http().publicUrl() != null ? config.http().publicUrl() : "http://localhost:" + app.port();
    out.println();
    out.println("Caduceus is ready in " + ms + " ms at " + url);
    out.println("  API contract: " + url + "/openapi.yaml   docs: " + url + "/docs   health: " + url + "/health/ready");
    out.println("  Data: " + (config.database().embedded() ? "embedded PostgreSQL + Redis under "
        + config.dataDir().toAbsolutePath() : "external PostgreSQL + Redis"));
    DemoPlatform.Seeded demo = app.demo();
    if (demo != DemoPlatform.Seeded.NONE) {
      out.println();
      out.println("Demo logins (password for all: " + DemoPlatform.PASSWORD + "):");
      demo.logins().forEach(login -> out.println("  " + login.line()));
      out.println("The owner and the tenant admins sign in with a second factor: TOTP, demo secret "
          + DemoPlatform.TOTP_SECRET + " (README: \"Multi-factor authentication\").");
      out.println();
      out.println("Try:");
      out.println("  TOKEN=$(curl -s " + url + "/v1/auth/login -H 'Content-Type: application/json' \\");
      out.println("    -d '{\"email\":\"frontdesk@riverside.test\",\"password\":\"" + DemoPlatform.PASSWORD
          + "\"}' | jq -r .accessToken)");
      out.println("  curl -s " + url + "/v1/patients -H \"Authorization: Bearer $TOKEN\" | jq");
    }
    out.println();
  }
}
