package io.caduceus.api.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Runs a graceful stop on SIGTERM (what Kubernetes, systemd and {@code docker stop} send) and SIGINT (Ctrl-C).
 *
 * <p>Left to itself the JVM answers SIGTERM by running every shutdown hook at once and exiting with status 143: the
 * embedded PostgreSQL's own hook then stops the database under the requests still being answered. Handling the
 * signal lets the node drain first and exit 0 afterwards. {@code sun.misc.Signal} is the JDK's only way to do so;
 * it is reached reflectively, because javac warns about it with no way to suppress the warning, and without it the
 * stop falls back to a shutdown hook.
 */
public final class StopSignals {

  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {
  }

  /** Runs {@code stop} on the first SIGTERM or SIGINT; whether the signals could be handled. */
  public static boolean onStop(Runnable stop) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      InvocationHandler onSignal = (proxy, method, args) -> {
        if ("handle".equals(method.getName())) {
          stop.run();
          return null;
        }
        return switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "stop on signal";
        };
      };
      Object handle = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler}, onSignal);
      for (String name : new String[] {"TERM", "INT"}) {
        signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class)
            .newInstance(name), handle);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("signals cannot be handled here ({}); stopping through a shutdown hook", e.getClass().getSimpleName());
      return false;
    }
  }
}
