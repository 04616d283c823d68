import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a request's time goes, from a Java Flight Recorder recording of the server (bench/stages.sh): per request
 * stage (the io.caduceus.RequestStage events of the recording's busiest operation), the count, mean, p50, p99 and
 * the stage's share of the requests' total time; then the methods most often on top of the execution samples.
 *
 *   java bench/StageTable.java recording.jfr [top-methods] [slow-ms] [fsync-probe.txt]
 *
 * Only requests whose whole span ("request") is in the recording count; a stage timed below the HTTP layer names
 * only its request id, which ties it to the request's operation. Background work (sealing, relays, engagement
 * cycles: operation "background") has no request and is left out of the table.
 *
 * Then the slow requests (longer than slow-ms, 20 by default): where their time went by stage against all requests,
 * the time outside every stage (waiting for the event loop between stages), what they overlapped (stop-the-world
 * GC pauses, each kind of background run) against how often any request overlapped it,
 * whether they come in bursts, and which threads the execution samples taken while a slow request was open found
 * running. With the output of bench/fsync_probe.py, the probe's durable writes that took over 10 ms count among what
 * the slow requests overlapped ("fsync over 10 ms"), after a line on all the probe's writes.
 */
public class StageTable {

  /** The stages in the order a request meets them; indented ones run inside the stage above them. */
  private static final String RequestStage_BACKGROUND = "background";

  private static final List<String> ORDER = List.of("request", "  root handlers", "  token", "  validation",
      "  tenant resolution", "    revocation", "  quota", "  audit open", "  handler", "    bulkhead",
      "    connection", "    set_config + query", "    projection", "  audit settle", "    audit group commit",
      "  json");

  record Stage(String name, String operation, String request, long nanos, long start, long end) {
  }

  /** A span of time (epoch nanoseconds) something else took: a GC pause, a background run. */
  record Span(String what, long start, long end) {
  }

  record Sample(long at, String thread, String top) {
  }

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    double slowMs = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    List<Stage> stages = new ArrayList<>();
    List<Span> others = new ArrayList<>();
    List<Sample> sampled = new ArrayList<>();
    Map<String, Integer> hot = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("io.caduceus.RequestStage")) {
          stages.add(new Stage(e.getString("stage"), e.getString("operationId"), e.getString("requestId"),
              e.getDuration().toNanos(), nanos(e.getStartTime()), nanos(e.getEndTime())));
        } else if (type.equals("jdk.GarbageCollection")) {
          // The serial and parallel collectors stop the world for the whole collection.
          others.add(new Span("GC pause (" + e.getString("name") + ")", nanos(e.getStartTime()),
              nanos(e.getEndTime())));
        } else if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null
            && !e.getStackTrace().getFrames().isEmpty()) {
          RecordedFrame frame = e.getStackTrace().getFrames().get(0);
          String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
          hot.merge(method, 1, Integer::sum);
          samples++;
          RecordedThread thread = e.getThread("sampledThread");
          sampled.add(new Sample(nanos(e.getStartTime()), thread == null ? "?" : thread.getJavaName(), method));
        }
      }
    }
    printStages(stages);
    if (args.length > 3) {
      probed(Path.of(args[3]), others);
    }
    printSlow(stages, others, sampled, slowMs);
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

  /** The operation the table is about: the one with the most whole requests in the recording. */
  private static String busiest(List<Stage> stages) {
    Map<String, Integer> requestsPerOperation = new HashMap<>();
    for (Stage s : stages) {
      if (s.name().equals("request") && s.operation() != null) {
        requestsPerOperation.merge(s.operation(), 1, Integer::sum);
      }
    }
    return requestsPerOperation.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(null);
  }

  private static void printSlow(List<Stage> stages, List<Span> others, List<Sample> sampled, double slowMs) {
    String operation = busiest(stages);
    if (operation == null) {
      return;
    }
    Map<String, Stage> requests = new HashMap<>();
    for (Stage s : stages) {
      if (s.name().equals("request") && operation.equals(s.operation())) {
        requests.put(s.request(), s);
      }
    }
    Map<String, List<Stage>> ofRequest = new HashMap<>();
    for (Stage s : stages) {
      if (s.request() != null && requests.containsKey(s.request()) && !s.name().equals("request")) {
        ofRequest.computeIfAbsent(s.request(), r -> new ArrayList<>()).add(s);
      }
      if (RequestStage_BACKGROUND.equals(s.operation())) {
        others.add(new Span(s.name(), s.start(), s.end()));
      }
    }
    long threshold = (long) (slowMs * 1_000_000);
    List<Stage> slow = requests.values().stream().filter(r -> r.nanos() > threshold)
        .sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
    System.out.printf("%nslow requests (over %.0f ms): %d of %d (%.2f%%), mean %.1f ms%n", slowMs, slow.size(),
        requests.size(), 100.0 * slow.size() / Math.max(1, requests.size()),
        ms((long) slow.stream().mapToLong(Stage::nanos).average().orElse(0)));
    if (slow.isEmpty()) {
      return;
    }
    // Where a slow request's time went, stage by stage, against the mean request.
    Set<String> direct = new HashSet<>();
    ORDER.stream().filter(o -> o.startsWith("  ") && !o.startsWith("    ")).forEach(o -> direct.add(o.strip()));
    System.out.printf("%-24s %12s %10s %14s%n", "stage", "slow mean ms", "slow share", "all mean ms");
    double allRequests = requests.values().stream().mapToLong(Stage::nanos).sum();
    double slowRequests = slow.stream().mapToLong(Stage::nanos).sum();
    Map<String, long[]> perStage = new LinkedHashMap<>(); // stage -> {slow sum, all sum}
    ORDER.forEach(o -> perStage.put(o.strip(), new long[2]));
    Set<String> slowIds = new HashSet<>();
    slow.forEach(r -> slowIds.add(r.request()));
    long[] outside = new long[2];
    for (Stage r : requests.values()) {
      long inside = 0;
      for (Stage s : ofRequest.getOrDefault(r.request(), List.of())) {
        long[] sums = perStage.computeIfAbsent(s.name(), n -> new long[2]);
        sums[1] += s.nanos();
        if (slowIds.contains(r.request())) {
          sums[0] += s.nanos();
        }
        if (direct.contains(s.name())) {
          inside += s.nanos();
        }
      }
      long gap = Math.max(0, r.nanos() - inside);
      outside[1] += gap;
      if (slowIds.contains(r.request())) {
        outside[0] += gap;
      }
    }
    perStage.put("outside the stages", outside);
    for (Map.Entry<String, long[]> e : perStage.entrySet()) {
      if (e.getKey().equals("request") || (e.getValue()[1] == 0)) {
        continue;
      }
      String label = ORDER.stream().filter(o -> o.strip().equals(e.getKey())).findFirst().orElse("  " + e.getKey());
      System.out.printf("%-24s %12.3f %9.1f%% %14.3f%n", label, ms(e.getValue()[0] / slow.size()),
          100.0 * e.getValue()[0] / slowRequests, ms(e.getValue()[1] / requests.size()));
    }
    // What they overlapped, against how often any request of the operation overlapped the same.
    Map<String, List<Span>> byWhat = new TreeMap<>();
    others.forEach(o -> byWhat.computeIfAbsent(o.what(), w -> new ArrayList<>()).add(o));
    System.out.printf("%n%-34s %6s %9s %11s %11s %11s%n", "overlapping", "runs", "mean ms", "slow share",
        "slow ms in", "all share");
    for (Map.Entry<String, List<Span>> e : byWhat.entrySet()) {
      List<Span> spans = e.getValue();
      spans.sort((a, b) -> Long.compare(a.start(), b.start()));
      int slowHit = 0;
      long slowIn = 0;
      int allHit = 0;
      for (Stage r : requests.values()) {
        long in = overlap(spans, r.start(), r.end());
        if (in > 0) {
          allHit++;
          if (r.nanos() > threshold) {
            slowHit++;
            slowIn += in;
          }
        }
      }
      System.out.printf("%-34s %6d %9.3f %10.1f%% %11.2f %10.1f%%%n", e.getKey(), spans.size(),
          ms((long) spans.stream().mapToLong(sp -> sp.end() - sp.start()).average().orElse(0)),
          100.0 * slowHit / slow.size(), slowHit == 0 ? 0 : ms(slowIn / slowHit), 100.0 * allHit / requests.size());
    }
    // Bursts: slow requests whose spans overlap or follow each other within 50 ms are one stall.
    List<long[]> bursts = new ArrayList<>();
    for (Stage r : slow) {
      long[] last = bursts.isEmpty() ? null : bursts.get(bursts.size() - 1);
      if (last != null && r.start() <= last[1] + 50_000_000L) {
        last[1] = Math.max(last[1], r.end());
        last[2]++;
      } else {
        bursts.add(new long[] {r.start(), r.end(), 1});
      }
    }
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < bursts.size(); i++) {
      gaps.add(bursts.get(i)[0] - bursts.get(i - 1)[0]);
    }
    gaps.sort(null);
    List<Long> sizes = new ArrayList<>();
    bursts.forEach(b -> sizes.add(b[2]));
    sizes.sort(null);
    System.out.printf("%nbursts: %d slow requests in %d bursts (slow spans within 50 ms of each other); requests per"
            + " burst p50 %d, max %d; burst to burst p50 %.0f ms, p10 %.0f ms, p90 %.0f ms%n", slow.size(),
        bursts.size(), sizes.get(sizes.size() / 2), sizes.get(sizes.size() - 1),
        gaps.isEmpty() ? 0 : ms(percentile(gaps, 0.5)), gaps.isEmpty() ? 0 : ms(percentile(gaps, 0.1)),
        gaps.isEmpty() ? 0 : ms(percentile(gaps, 0.9)));
    // Which threads ran while slow requests were open, against all samples.
    List<Span> windows = new ArrayList<>();
    bursts.forEach(b -> windows.add(new Span("slow", b[0], b[1])));
    Map<String, Integer> inSlow = new HashMap<>();
    Map<String, Integer> all = new HashMap<>();
    int inSlowCount = 0;
    for (Sample sample : sampled) {
      String thread = sample.thread().replaceAll("[-#]?\\d+$", "-N");
      all.merge(thread, 1, Integer::sum);
      if (overlap(windows, sample.at(), sample.at() + 1) > 0) {
        inSlow.merge(thread, 1, Integer::sum);
        inSlowCount++;
      }
    }
    int allCount = sampled.size();
    int slowSamples = inSlowCount;
    System.out.printf("%nthreads on CPU in the execution samples: %d while a slow request was open (%.1f s of"
            + " slow windows), %d in all%n", slowSamples,
        ms(windows.stream().mapToLong(w -> w.end() - w.start()).sum()) / 1000, allCount);
    inSlow.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
        .forEach(t -> System.out.printf("%6.1f%% (all %5.1f%%)  %s%n", 100.0 * t.getValue() / Math.max(1, slowSamples),
            100.0 * all.getOrDefault(t.getKey(), 0) / Math.max(1, allCount), t.getKey()));
    Map<String, Integer> slowMethods = new HashMap<>();
    sampled.stream().filter(x -> overlap(windows, x.at(), x.at() + 1) > 0)
        .forEach(x -> slowMethods.merge(x.top(), 1, Integer::sum));
    System.out.println("top methods while a slow request was open:");
    slowMethods.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
        .forEach(m -> System.out.printf("%6.1f%%  %s%n", 100.0 * m.getValue() / Math.max(1, slowSamples), m.getKey()));
  }

  /** The probe's slow durable writes (over 10 ms) as spans, after a line on all its writes. */
  private static void probed(Path probe, List<Span> others) throws IOException {
    List<Long> took = new ArrayList<>();
    for (String line : java.nio.file.Files.readAllLines(probe)) {
      String[] f = line.trim().split(" ");
      if (f.length != 2) {
        continue;
      }
      long start = Long.parseLong(f[0]);
      long nanos = Long.parseLong(f[1]);
      took.add(nanos);
      if (nanos > 10_000_000L) {
        others.add(new Span("fsync over 10 ms (probe)", start, start + nanos));
      }
    }
    if (took.isEmpty()) {
      return;
    }
    took.sort(null);
    System.out.printf("%nfsync probe: %d writes of 8 KB + fdatasync, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms, %d over 10 ms%n", took.size(), ms(percentile(took, 0.5)), ms(percentile(took, 0.9)),
        ms(percentile(took, 0.99)), ms(took.get(took.size() - 1)), took.stream().filter(t -> t > 10_000_000L).count());
  }

  /** Nanoseconds of [start, end) that the sorted, possibly overlapping spans cover. */
  private static long overlap(List<Span> spans, long start, long end) {
    long covered = 0;
    long upTo = start;
    for (Span s : spans) {
      if (s.start() >= end) {
        break;
      }
      long from = Math.max(upTo, s.start());
      long to = Math.min(end, s.end());
      if (to > from) {
        covered += to - from;
        upTo = to;
      }
    }
    return covered;
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
