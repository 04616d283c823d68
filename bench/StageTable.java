import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a request's time goes, from a Java Flight Recorder recording of the server (bench/stages.sh): per request
 * stage (the io.caduceus.RequestStage events of the recording's busiest operation), the count, mean, p50, p99 and
 * the stage's share of the requests' total time; then the methods most often on top of the execution samples.
 *
 *   java bench/StageTable.java recording.jfr [top-methods]
 *
 * Only requests whose whole span ("request") is in the recording count; a stage timed below the HTTP layer names
 * only its request id, which ties it to the request's operation. Background work (sealing, outbox) has no
 * request and is left out.
 */
public class StageTable {

  /** The stages in the order a request meets them; indented ones run inside the stage above them. */
  private static final List<String> ORDER = List.of("request", "  root handlers", "  token", "  validation",
      "  tenant resolution", "    revocation", "  quota", "  audit open", "  handler", "    bulkhead",
      "    connection", "    set_config + query", "    projection", "  audit settle", "    audit group commit",
      "  json");

  record Stage(String name, String operation, String request, long nanos) {
  }

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    List<Stage> stages = new ArrayList<>();
    Map<String, Integer> hot = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("io.caduceus.RequestStage")) {
          stages.add(new Stage(e.getString("stage"), e.getString("operationId"), e.getString("requestId"),
              e.getDuration().toNanos()));
        } else if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null
            && !e.getStackTrace().getFrames().isEmpty()) {
          RecordedFrame frame = e.getStackTrace().getFrames().get(0);
          hot.merge(frame.getMethod().getType().getName() + "." + frame.getMethod().getName(), 1, Integer::sum);
          samples++;
        }
      }
    }
    printStages(stages);
    System.out.printf("%nhot methods (top frame of %d execution samples, all threads)%n", samples);
    int total = samples;
    hot.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(h -> System.out.printf("%6.1f%%  %s%n", 100.0 * h.getValue() / total, h.getKey()));
  }

  private static void printStages(List<Stage> stages) {
    Map<String, String> operationOf = new HashMap<>();
    Map<String, Integer> requestsPerOperation = new HashMap<>();
    for (Stage s : stages) {
      if (s.operation() != null && s.request() != null) {
        operationOf.put(s.request(), s.operation());
      }
      if (s.name().equals("request") && s.operation() != null) {
        requestsPerOperation.merge(s.operation(), 1, Integer::sum);
      }
    }
    String operation = requestsPerOperation.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse(null);
    if (operation == null) {
      System.out.println("no request stages in the recording (was io.caduceus.RequestStage enabled?)");
      return;
    }
    Set<String> whole = new HashSet<>();
    stages.stream().filter(s -> s.name().equals("request") && operation.equals(s.operation()))
        .forEach(s -> whole.add(s.request()));
    Map<String, List<Long>> byStage = new LinkedHashMap<>();
    ORDER.forEach(name -> byStage.put(name.strip(), new ArrayList<>()));
    for (Stage s : stages) {
      if (s.request() != null && whole.contains(s.request()) && operation.equals(operationOf.get(s.request()))) {
        byStage.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s.nanos());
      }
    }
    long requestNanos = byStage.get("request").stream().mapToLong(Long::longValue).sum();
    System.out.printf("%s: %d whole requests in the recording%n", operation, whole.size());
    System.out.printf("%-24s %8s %10s %10s %10s %7s%n", "stage", "count", "mean ms", "p50 ms", "p99 ms", "share");
    for (Map.Entry<String, List<Long>> entry : byStage.entrySet()) {
      List<Long> nanos = entry.getValue();
      if (nanos.isEmpty()) {
        continue;
      }
      nanos.sort(null);
      long sum = nanos.stream().mapToLong(Long::longValue).sum();
      String label = ORDER.stream().filter(o -> o.strip().equals(entry.getKey())).findFirst().orElse(entry.getKey());
      System.out.printf("%-24s %8d %10.3f %10.3f %10.3f %6.1f%%%n", label, nanos.size(), ms(sum / nanos.size()),
          ms(percentile(nanos, 0.50)), ms(percentile(nanos, 0.99)), 100.0 * sum / requestNanos);
    }
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
