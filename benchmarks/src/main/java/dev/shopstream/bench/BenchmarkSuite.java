package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.shopstream.bench.JobRunner.BatchRun;
import dev.shopstream.bench.JobRunner.BatchRuns;
import dev.shopstream.bench.JobRunner.StreamRun;
import dev.shopstream.bench.JobRunner.TopicSpec;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * ./run-benchmarks.sh [--short|--full] [--only=producer,job,scale,freshness,api,sustainable,cluster] [--verbose]
 *
 * <p>Runs every benchmark on the local stack (a real Kafka broker, the real PostgreSQL, the service and the
 * job as processes) and prints one table: each figure beside a reference measured in the same run on the same
 * machine, their ratio, the target and whether it is met. The table also goes, as markdown, to
 * benchmarks/target/benchmarks.md.
 */
public final class BenchmarkSuite {

    static final Set<String> PARTS = Set.of("producer", "job", "scale", "freshness", "api", "sustainable", "cluster");
    static final String JOB_TOPIC = "bench_job";
    /** Figure 2c (issue 28): realistic traffic where a tenth of the records are giant rejects. */
    static final String GIANTS_TOPIC = "bench_job_giants";
    /** Figure 2's second row: the clean all-ASCII profile (EventFactory), beside the realistic headline. */
    static final String CLEAN_JOB_TOPIC = "bench_job_clean";

    private final Mode mode;
    private final Set<String> parts;
    private final List<Result> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Tables beside the main one (figure 2's engines), as markdown. */
    private final List<String> tables = new ArrayList<>();
    private Stack stack;

    // Figures another figure needs as its reference.
    private ProducerBench.Outcome producer;
    private BatchRuns batch;

    private BenchmarkSuite(Mode mode, Set<String> parts) {
        this.mode = mode;
        this.parts = parts;
    }

    public static void main(String[] args) {
        Mode mode = Mode.shortMode();
        Set<String> parts = PARTS;
        boolean verbose = false;
        int jobRepeats = 0;
        for (String arg : args) {
            if (arg.equals("--full")) {
                mode = Mode.full();
            } else if (arg.equals("--short")) {
                mode = Mode.shortMode();
            } else if (arg.startsWith("--only=")) {
                parts = Set.of(arg.substring("--only=".length()).split(","));
                if (!PARTS.containsAll(parts)) {
                    usage("unknown part in " + arg);
                }
            } else if (arg.startsWith("--service-jvm=")) {
                Stack.extraServiceJvm = List.of(arg.substring("--service-jvm=".length()).trim().split("\\s+"));
            } else if (arg.startsWith("--job-jvm=")) {
                Stack.extraJobJvm = List.of(arg.substring("--job-jvm=".length()).trim().split("\\s+"));
            } else if (arg.startsWith("--job-env=")) {
                java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
                for (String pair : arg.substring("--job-env=".length()).split(",")) {
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
                Stack.extraJobEnv = env;
            } else if (arg.startsWith("--job-repeats=")) {
                jobRepeats = Integer.parseInt(arg.substring("--job-repeats=".length()));
            } else if (arg.equals("--verbose")) {
                verbose = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                usage(null);
            } else {
                usage("unknown option " + arg);
            }
        }
        if (jobRepeats > 0) {
            mode = mode.withJobRepeats(jobRepeats);
        }
        int code = new BenchmarkSuite(mode, parts).run(verbose);
        System.exit(code);
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("Usage: ./run-benchmarks.sh [--short|--full] [--only=" + String.join(",", PARTS) + "] [--verbose]\n"
                + "  [--service-jvm='-XX:StartFlightRecording=...'] [--job-jvm='...']  extra JVM options, e.g. to profile\n"
                + "  [--job-env=MAX_OFFSETS_PER_TRIGGER=200000,...]  extra job settings, for experiments\n"
                + "  [--job-repeats=N]  rounds of figure 2 (default: 1 in --short, 3 in --full), e.g. 1 for a profile");
        System.exit(problem == null ? 0 : 2);
    }

    private int run(boolean verbose) {
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        System.out.printf("ShopStream benchmarks, %s mode (%s), on %d cores; load average %s%n", mode.name(), String.join(",", parts),
                Runtime.getRuntime().availableProcessors(), loadBefore);
        stack = Stack.start(verbose);
        try {
            System.out.println("Kafka broker at " + stack.bootstrap() + ", work directory " + stack.workDir);
            List<String> topics = new ArrayList<>(List.of(GIANTS_TOPIC, ProducerBench.SERVICE_TOPIC, ProducerBench.TOOL_TOPIC, FreshnessBench.TOPIC, FreshnessBench.SUSTAIN_TOPIC, FreshnessBench.AUDIT_TOPIC, JOB_TOPIC, CLEAN_JOB_TOPIC,
                    ClusterBench.TOPIC));
            mode.scaleKeys().forEach(k -> topics.add(scaleTopic(k)));
            KafkaSupport.createTopics(stack.bootstrap(), topics);

            if (parts.contains("producer")) {
                section("1. Producer throughput", () -> figureProducer());
            }
            if (parts.contains("job") || parts.contains("scale")) {
                section("2/5. Job throughput and scale", () -> figuresJob());
            }
            if (parts.contains("freshness")) {
                section("3/6. Freshness and memory at 2,000 events/s", () -> figureFreshness());
            }
            if (parts.contains("api")) {
                section("4. API", () -> figureApi());
            }
            if (parts.contains("sustainable")) {
                section("7. Sustainable rate", () -> figureSustainable());
            }
            if (parts.contains("cluster")) {
                section("8. Job catch-up on a Spark standalone cluster", () -> figureCluster());
            }
        } finally {
            stack.close();
        }
        String loadAfter = loadAverage();
        Duration took = Duration.between(started, Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        String header = String.format(Locale.ROOT, "%s mode, %s, %d cores, %s GiB RAM; load average before %s, after %s; took %s; commit %s",
                mode.name(), Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), memTotalGib(),
                loadBefore, loadAfter, took.toString().substring(2).toLowerCase(Locale.ROOT), gitCommit());
        System.out.println();
        System.out.println(header);
        System.out.println(ResultTable.text(results));
        tables.forEach(t -> System.out.println("\n" + t));
        notes.forEach(n -> System.out.println("* " + n));
        Path markdown = stack.layout.root().resolve("benchmarks/target/benchmarks.md");
        try {
            Files.createDirectories(markdown.getParent());
            Files.writeString(markdown, ResultTable.markdown(header, results, notes)
                    + tables.stream().map(t -> "\n" + t).collect(Collectors.joining()), StandardCharsets.UTF_8);
            System.out.println("\nWritten to " + stack.layout.root().relativize(markdown));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results.stream().anyMatch(r -> "failed".equals(r.value())) ? 1 : 0;
    }

    private void section(String title, Runnable body) {
        System.out.println("\n== " + title);
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            results.add(Result.failed(title, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
        }
        Bench.log("(%s took %.0f s)", title, (System.nanoTime() - t0) / 1e9);
    }

    // ---- 1 -------------------------------------------------------------------------------------------

    private void figureProducer() {
        PostgresDatabase db = stack.database("producer");
        producer = ProducerBench.run(stack, mode, db);
        double ratio = producer.serviceRate() / producer.toolRate();
        results.add(new Result("1. Producer throughput, events/s acked (acks=all)", Bench.rate(producer.serviceRate()),
                Bench.rate(producer.toolRate()) + " (ProducerPerformance)", ratio, ">= 0.80", ratio >= 0.8,
                String.format(Locale.ROOT, "the service's generator at full speed for %d s after %d s of warm-up (dropped %d, failed %d); "
                                + "Kafka's ProducerPerformance on the same broker with the same producer settings and a sample of the service's "
                                + "own events (%.0f bytes on average), averaged over the same window of its %d-s reports",
                        mode.producerSeconds(), mode.producerWarmupSeconds(), producer.serviceDropped(), producer.serviceFailed(),
                        producer.averageBytes(), 2)));
    }

    // ---- 2 and 5 ---------------------------------------------------------------------------------------

    /** The run with the median rate (of an even number, the lower middle one). */
    private static <T> T median(List<T> runs, ToDoubleFunction<T> rate) {
        List<T> sorted = runs.stream().sorted(Comparator.comparingDouble(rate)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** ", the median of N runs: a, b, c events/s" when there was more than one run, else nothing. */
    private static <T> String medianOf(List<T> runs, ToDoubleFunction<T> rate) {
        if (runs.size() < 2) {
            return "";
        }
        return ", the median of " + runs.size() + " runs: " + runs.stream().map(r -> Bench.rate(rate.applyAsDouble(r)))
                .collect(Collectors.joining(", ")) + " events/s";
    }

    private static String scaleTopic(int keys) {
        return "bench_scale_" + keys;
    }

    private void figuresJob() {
        PostgresDatabase db = stack.database("job");
        PostgresDatabase batchDb = stack.database("batch");
        JobRunner runner = new JobRunner(stack, db);

        // Preload: figure 2's topic as realistic shop traffic at 2,000 events/s ending now, and the clean profile beside
        // it; each scale topic with its number of products, all inside one 2-minute window (EventFactory: the figure
        // needs an exact count of distinct products, which its catalog walk gives).
        List<TopicSpec> topics = new ArrayList<>();
        TopicSpec clean = null;
        TopicSpec giants = null;
        if (parts.contains("job")) {
            long n = mode.jobEvents();
            topics.add(preload(JOB_TOPIC, n, RealisticTraffic.endingNow(TrafficMix.defaults(), n)));
            clean = preload(CLEAN_JOB_TOPIC, n, new EventFactory(1, 500, Instant.now().minusMillis(n * 1000 / 2000), 2000));
            long g = mode.giantRecords();
            giants = preload(GIANTS_TOPIC, g, new GiantRejects(RealisticTraffic.endingNow(TrafficMix.defaults(), g), 10, GIANT_BYTES));
        }
        if (parts.contains("scale")) {
            Instant window = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 120 * 120 - 120);
            for (int keys : mode.scaleKeys()) {
                long n = mode.scaleEvents();
                topics.add(preload(scaleTopic(keys), n, new EventFactory(keys, keys, window.plusSeconds(5), n / 100.0)));
            }
        }

        batch = runner.batch(batchDb, topics);
        Bench.log("batch reference: %s", batch.byTopic().values());

        Duration timeout = Duration.ofMinutes(20);
        if (parts.contains("job")) {
            figureRealistic(runner, topics.get(0), timeout);
            figureClean(runner, clean, timeout);
            figureGiantRejects(runner, giants, timeout);
        }
        if (parts.contains("scale")) {
            // The job's one store: its de-duplication (transformWithState) runs on RocksDB only, so the in-heap
            // store that earlier runs set beside it can no longer be chosen.
            for (String store : List.of("RocksDB")) {
                for (TopicSpec topic : topics) {
                    if (!topic.topic().startsWith("bench_scale_")) {
                        continue;
                    }
                    List<String> jvm = List.of();
                    String keys = topic.topic().substring("bench_scale_".length());
                    try {
                        StreamRun run = runner.stream("scale-" + keys + "-" + store, topic, jvm, Map.of(), timeout);
                        Bench.log("stream: %s", run);
                        BatchRun reference = batch.byTopic().get(topic.topic());
                        results.add(new Result(String.format(Locale.ROOT, "5. Scale, %,d products in the window, %s store, events/s",
                                        Long.parseLong(keys), store), Bench.rate(run.eventsPerSecond()),
                                Bench.rate(reference.eventsPerSecond()) + " (Spark batch)", run.eventsPerSecond() / reference.eventsPerSecond(),
                                "—", null, String.format(Locale.ROOT, "%,d events, %,d distinct products in the state at the end, %d batches, "
                                                + "job peak RSS %s", topic.events(), run.distinctProducts(), run.batches(), Bench.mib(run.peakRssKib()))));
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                        results.add(Result.failed("5. Scale, " + keys + " products, " + store + " store", e.getMessage().lines().findFirst().orElse("")));
                    }
                }
            }
            if (!mode.scaleKeys().contains(1_000_000)) {
                notes.add("Scale: " + mode.name() + " mode runs " + mode.scaleKeys() + " products only (" + mode.scaleEvents()
                        + " events each); --full adds 1,000,000.");
            }
        }
    }

    private long jobStreamRss = -1;
    private StreamRun realisticJob;
    /** A giant reject's product_id: a record just under the broker's default largest message (1 MiB). */
    static final int GIANT_BYTES = 1_000_000;

    /**
     * 2c (issue 28): the job's throughput and peak heap while a tenth of the records are giant rejects, beside the
     * same job on the realistic topic of figure 2 (its first run). Every giant must be stored capped, none counted.
     */
    private void figureGiantRejects(JobRunner runner, TopicSpec topic, Duration timeout) {
        StreamRun run = runner.stream("giants", topic, List.of(), Map.of(), timeout);
        long giants = topic.events() / 10;
        long stored = scalar(runner, "SELECT count(*) FROM " + AnalyticsSchema.REJECTED_EVENTS + " WHERE payload_bytes > 4096 AND octet_length(raw_payload) <= 4096");
        boolean allStored = stored == giants && run.activityTotal() == topic.expectedEvents();
        double megabytes = giants * (double) GIANT_BYTES / (1 << 20);
        results.add(new Result(String.format(Locale.ROOT, "2c. Giant rejects: %,d records, a tenth of them ~1 MB, events/s from launch / peak heap",
                topic.events()), Bench.rate(run.eventsPerSecondFromLaunch()) + " / " + Bench.mib(run.peakHeapKib()),
                realisticJob == null ? "—" : Bench.rate(realisticJob.eventsPerSecondFromLaunch()) + " / " + Bench.mib(realisticJob.peakHeapKib())
                        + " (figure 2's topic)", null, "the job keeps running, every giant stored capped", allStored,
                String.format(Locale.ROOT, "%,.0f MiB of giant records (%,.0f MiB/s from launch); %,d of %,d giants in rejected_events, each its "
                                + "first 4 KiB, its length and its SHA-256; %,d events counted of the %,d the traffic holds; the job's peak RSS %s, "
                                + "its heap %s", megabytes, megabytes / run.secondsFromLaunch(), stored, giants, run.activityTotal(),
                        topic.expectedEvents(), Bench.mib(run.peakRssKib()), JobRunner.JOB_MEMORY_TEXT)));
    }

    private static long scalar(JobRunner runner, String sql) {
        return runner.scalarQuery(sql);
    }

    /** Figure 2 (issue 30): the job, Flink SQL, the all-core limit and the oracle on realistic traffic, from launch. */
    private void figureRealistic(JobRunner runner, TopicSpec topic, Duration timeout) {
        PeerRunner peers = new PeerRunner(stack);
        CatchUpFigure.Outcome o = CatchUpFigure.run(runner, peers, topic, mode.jobRepeats(), true, true, timeout);
        StreamRun job = o.job();
        double jobRate = job.eventsPerSecondFromLaunch();
        boolean referencesAgree = o.referencesAgree();
        boolean jobExplained = o.jobExplained();
        String figure = String.format(Locale.ROOT, "2. Realistic traffic, %,d records: the job", topic.events());
        String runsNote = o.rounds().size() > 1 ? ", the median of " + o.rounds().size() + " interleaved runs" : "";
        PeerRunner.EngineRun flink = o.flink();
        results.add(flink == null ? Result.failed(figure + " beside Flink SQL", o.flinkTotals())
                : new Result(figure + " beside Flink SQL, events/s from launch", Bench.rate(jobRate), Bench.rate(flink.eventsPerSecond()) + " (Flink SQL)",
                jobRate / flink.eventsPerSecond(), ">= 1.50", jobRate / flink.eventsPerSecond() >= 1.5 && jobExplained,
                String.format(Locale.ROOT, "%s; each engine timed from the launch of its JVM to the end of its work%s. The job: %s. Flink SQL: %s",
                        topic.description(), runsNote, o.jobTotals(), o.flinkTotals())));
        PeerRunner.EngineRun allCores = o.allCores();
        double limitRatio = jobRate / allCores.eventsPerSecond();
        results.add(new Result(figure + " beside the all-core plain-Java limit, events/s from launch",
                referencesAgree ? Bench.rate(jobRate) : "failed", Bench.rate(allCores.eventsPerSecond()) + " (plain Java, all cores)", limitRatio,
                ">= 0.35", limitRatio >= 0.35 && jobExplained && referencesAgree,
                String.format(Locale.ROOT, "one thread per core, each with its own consumer on a share of the partitions, Jackson's streaming parser "
                                + "and the contract's verdicts, a shared set of event_ids, hash maps, cents as long (%s); its totals: %s; the oracle's: %s%s",
                        allCores.detail(), o.allCoresTotals(), o.oracleTotals(), referencesAgree ? "" : ". THE REFERENCES' TOTALS DIFFER: the figure fails")));
        PeerRunner.EngineRun parseFloor = CatchUpFigure.parseFloor(o);
        if (parseFloor != null) {
            results.add(new Result("2. Realistic traffic: Spark alone reading and parsing the topic, no shuffle, state or database, beside the "
                    + "all-core limit, events/s from launch", Bench.rate(parseFloor.eventsPerSecond()), Bench.rate(allCores.eventsPerSecond())
                    + " (plain Java, all cores)", parseFloor.eventsPerSecond() / allCores.eventsPerSecond(), "—", null,
                    "the ceiling of any design of the job on Spark here (SparkFloor: the job's session, Kafka source and parser into a noop sink); "
                            + "the job's ratio to the limit cannot exceed this one"));
        }
        PeerRunner.EngineRun oracle = o.oracle();
        results.add(new Result(figure + " beside the one-thread oracle, events/s from launch", Bench.rate(jobRate),
                Bench.rate(oracle.eventsPerSecond()) + " (plain Java, one thread)", jobRate / oracle.eventsPerSecond(), "—", null,
                "pipeline-contract's ReferenceAnalytics (EventRules, TreeMaps, BigDecimal), the correctness check of every other row"));
        long jobRss = o.rounds().stream().mapToLong(r -> r.job().peakRssKib()).max().orElse(-1);
        results.add(new Result("2. Realistic traffic: the job's peak RSS (VmHWM) during the catch-up", Bench.mib(jobRss),
                flink == null ? "—" : Bench.mib(flink.peakRssKib()) + " (Flink SQL, " + PeerRunner.FLINK_HEAP + ")",
                flink == null ? null : jobRss / (double) flink.peakRssKib(), "<= 1,024 MiB", jobRss <= 1_048_576,
                "the job with " + JobRunner.JOB_MEMORY_TEXT + " (as ./run-local.sh starts it), the largest of its runs"));

        BatchRun reference = batch.byTopic().get(topic.topic());
        StreamRun fromReady = median(o.rounds().stream().map(CatchUpFigure.Round::job).toList(), StreamRun::eventsPerSecond);
        double ratio = fromReady.eventsPerSecond() / reference.eventsPerSecond();
        results.add(new Result("2. Job catch-up from JOB_READY beside the Spark batch reference, realistic traffic, events/s",
                Bench.rate(fromReady.eventsPerSecond()), Bench.rate(reference.eventsPerSecond()) + " (Spark batch)", ratio, ">= 1.00",
                ratio >= 1.0 && jobExplained, String.format(Locale.ROOT, "streaming from JOB_READY until " + AnalyticsSchema.STREAM_PROGRESS + " has read all %,d records "
                                + "(%.1f s, %d batches)%s; batch: the same parser, aggregation and writer as one Spark batch job over the same topic (%.1f s; "
                                + "%,d events, %,d views counted, against the oracle's %,d and %,d)", topic.events(), fromReady.processingSeconds(),
                        fromReady.batches(), medianOf(o.rounds().stream().map(CatchUpFigure.Round::job).toList(), StreamRun::eventsPerSecond),
                        reference.seconds(), reference.activityTotal(), reference.viewTotal(), oracle.totals().activityTotal(), oracle.totals().viewTotal())));
        results.add(new Result("2. Job start-up: JVM start to JOB_READY / to first batch",
                Bench.fixed(job.secondsToReady(), 1) + " s / " + Bench.fixed(job.secondsToFirstBatch(), 1) + " s",
                Bench.fixed(batch.secondsToSession(), 1) + " s (batch JVM to SparkSession)", job.secondsToReady() / batch.secondsToSession(),
                "—", null, "the job also applies the schema and starts its query before JOB_READY"));
        jobStreamRss = jobRss;
        realisticJob = o.rounds().get(0).job();
        tables.add(CatchUpFigure.table(o, String.format(Locale.ROOT, "Figure 2, realistic traffic: %s", topic.description())));
    }

    /** Figure 2's second row: the same engines but Flink on the clean all-ASCII profile, one round. */
    private void figureClean(JobRunner runner, TopicSpec topic, Duration timeout) {
        CatchUpFigure.Outcome o = CatchUpFigure.run(runner, new PeerRunner(stack), topic, 1, false, timeout);
        double jobRate = o.job().eventsPerSecondFromLaunch();
        boolean agree = o.referencesAgree() && o.jobExplained();
        results.add(new Result(String.format(Locale.ROOT, "2. Clean all-ASCII profile (EventFactory), %,d records: the job beside the all-core "
                        + "limit, events/s from launch", topic.events()), agree ? Bench.rate(jobRate) : "failed",
                Bench.rate(o.allCores().eventsPerSecond()) + " (plain Java, all cores)", jobRate / o.allCores().eventsPerSecond(), "—", null,
                String.format(Locale.ROOT, "not the headline: every record valid, unique, in order, ASCII; one run; the oracle %s/s; the job from "
                                + "JOB_READY %s/s; the job's totals: %s; all cores: %s", Bench.rate(o.oracle().eventsPerSecond()),
                        Bench.rate(o.job().eventsPerSecond()), o.jobTotals(), o.allCoresTotals())));
        tables.add(CatchUpFigure.table(o, String.format(Locale.ROOT, "Figure 2, second row: %s", topic.description())));
    }


    private TopicSpec preload(String topic, long n, TopicTraffic events) {
        long t0 = System.nanoTime();
        KafkaSupport.preload(stack.bootstrap(), topic, n, events);
        Bench.log("preloaded %,d records into %s in %.1f s: %s", n, topic, (System.nanoTime() - t0) / 1e9, events.describe());
        return TopicSpec.of(topic, n, events);
    }

    // ---- 3 and 6 ---------------------------------------------------------------------------------------

    private void figureFreshness() {
        PostgresDatabase db = stack.database("fresh");
        FreshnessBench.Outcome fresh = FreshnessBench.run(stack, mode, db);
        List<Double> latencies = fresh.latencies();
        double p50 = Bench.percentile(latencies, 50);
        double p99 = Bench.percentile(latencies, 99);
        // Issue 11's targets at 2,000 events/s: p50 at most 1.5 s, p99 at most 3 s.
        // Issue 30's target for realistic traffic at 2,000 events/s.
        double p99Target = 1.0;
        double batchP50 = Bench.percentile(fresh.batchSeconds(), 50);
        double batchP99 = Bench.percentile(fresh.batchSeconds(), 99);
        boolean met = p99 <= p99Target && fresh.missing() == 0;
        results.add(new Result("3. Freshness at 2,000 events/s: event_time to API, p50 / p99",
                Bench.fixed(p50, 2) + " s / " + Bench.fixed(p99, 2) + " s",
                Bench.fixed(batchP50, 2) + " s / " + Bench.fixed(batchP99, 2) + " s (product_views batch duration)", p99 / batchP99,
                String.format(Locale.ROOT, "p99 <= %.1f s", p99Target), met,
                String.format(Locale.ROOT, "%s; %d probes over %d s%s (one a second, API polled every %d ms), %d never seen; the feed "
                                + "delivered %s events/s meanwhile; trigger interval %.2f s%s", fresh.traffic(), fresh.sent(), mode.freshnessSeconds(),
                        mode.freshnessSeconds() < 120 ? " (" + mode.name() + " mode; --full probes for 120 s)" : "",
                        FreshnessBench.POLL.toMillis(), fresh.missing(), Bench.rate(fresh.producerRate()), fresh.triggerSeconds(), fresh.warmUpNote())));
        // Figure 3's service only answers the API (the feed sends its traffic); figure 3b's generates, so its memory is the service's.
        FreshnessBench.Outcome generating = figureFreshnessWithAudit(p50, p99);
        long toolRss = producer == null ? -1 : producer.toolRssKib();
        results.add(new Result("6. Memory: service peak RSS (VmHWM) at 2,000 events/s", Bench.mib(generating.serviceRssKib()),
                Bench.mib(toolRss) + " (ProducerPerformance JVM)", toolRss > 0 ? generating.serviceRssKib() / (double) toolRss : null, "—", null,
                "the service generating 2,000 events/s in figure 3b's run (figure 3's traffic comes from the benchmark, its service only "
                        + "answers the API); the service's JVM has -Xmx512m (as ./run-local.sh starts it); the reference is Kafka's producer tool "
                        + "at full speed, same heap" + (producer == null ? "" : "; the service at full speed peaked at " + Bench.mib(producer.serviceRssKib()))));
        long batchRss = batch == null ? -1 : batch.peakRssKib();
        results.add(new Result("6. Memory: job peak RSS (VmHWM) at 2,000 events/s", Bench.mib(fresh.jobRssKib()),
                Bench.mib(batchRss) + " (Spark batch JVM)", batchRss > 0 ? fresh.jobRssKib() / (double) batchRss : null, "<= 1,229 MiB",
                fresh.jobRssKib() <= 1_258_291,
                "the job with " + JobRunner.JOB_MEMORY_TEXT + " (as ./run-local.sh starts it) in figure 3's run; the reference is the batch reference's JVM (-Xmx2g: one job over the whole topic) over "
                        + (parts.contains("job") ? "figure 2's topic" : "the first scale topic")
                        + (jobStreamRss > 0 ? "; the job catching up on figure 2's topic peaked at " + Bench.mib(jobStreamRss) : "")));
    }

    /**
     * 3b (issue 15): the same probes with the audit beside the stream, on the service's own generator; the reference is
     * figure 3, this run. Its outcome also gives figure 6 the service's memory.
     */
    private FreshnessBench.Outcome figureFreshnessWithAudit(double p50Alone, double p99Alone) {
        PostgresDatabase db = stack.database("fresh_audit");
        FreshnessBench.Outcome audited = FreshnessBench.runWithAudit(stack, mode, db);
        double p50 = Bench.percentile(audited.latencies(), 50);
        double p99 = Bench.percentile(audited.latencies(), 99);
        results.add(new Result("3b. Freshness at 2,000 events/s with the audit beside (every "
                + FreshnessBench.AUDIT_EVERY.toSeconds() + " s), p50 / p99",
                Bench.fixed(p50, 2) + " s / " + Bench.fixed(p99, 2) + " s",
                Bench.fixed(p50Alone, 2) + " s / " + Bench.fixed(p99Alone, 2) + " s (figure 3: no audit)", p99 / p99Alone, "—", null,
                String.format(Locale.ROOT, "%s, delivering %s events/s (figure 3: realistic traffic); %d probes, %d never seen; the audit "
                                + "(a Kafka consumer and the contract's oracle beside the stream, no Spark job; %d s of probes, warm-up included: "
                                + "about %d audits expected): %s%s", audited.traffic(), Bench.rate(audited.producerRate()), audited.sent(), audited.missing(),
                        mode.freshnessSeconds() + mode.freshnessWarmUpSeconds(),
                        (mode.freshnessSeconds() + mode.freshnessWarmUpSeconds()) / FreshnessBench.AUDIT_EVERY.toSeconds(),
                        FreshnessBench.auditsRecorded(db), audited.warmUpNote())));
        return audited;
    }

    // ---- 7 ---------------------------------------------------------------------------------------------

    private void figureSustainable() {
        PostgresDatabase db = stack.database("sustain");
        FreshnessBench.Sustainable outcome = FreshnessBench.sustainable(stack, db, mode.sustainSeconds(), 64_000);
        FreshnessBench.RateStep best = null;
        StringBuilder steps = new StringBuilder();
        for (FreshnessBench.RateStep step : outcome.steps()) {
            if (step.sustained()) {
                best = step;
            }
            steps.append(String.format(Locale.ROOT, "%s%,d/s: feed %s/s, freshness p99 %.2f s, lag %,d -> %,d%s",
                    steps.length() == 0 ? "" : "; ", step.rate(), Bench.rate(step.producerRate()), Bench.percentile(step.outcome().latencies(), 99),
                    step.lagAtStart(), step.lagAtEnd(), step.sustained() ? "" : " (not sustained)"));
        }
        // Judged on the rate delivered to the topic at the best step the job kept up with, not the rate asked of the feed.
        double delivered = best == null ? 0 : best.producerRate();
        results.add(new Result("7. Sustainable rate: the rate delivered at the highest step (2,000/s doubling) with lag not growing and freshness p99 <= 5 s, events/s",
                Bench.rate(delivered), best == null ? "—" : Bench.rate(best.rate()) + " (asked of the feed)", null,
                ">= 50,000", delivered >= 50_000, String.format(Locale.ROOT, "%s; each rate for %d s after 10 s at it: %s",
                        outcome.traffic(), mode.sustainSeconds(), steps)));
        List<Double> floor = outcome.floorBatchSeconds();
        results.add(new Result("2. Batch with (almost) no data: duration p50 / max, the per-trigger floor",
                floor.isEmpty() ? "—" : Bench.fixed(Bench.percentile(floor, 50), 2) + " s / " + Bench.fixed(Bench.percentile(floor, 100), 2) + " s",
                String.format(Locale.ROOT, "%.2f s (trigger interval)", FreshnessBench.triggerSeconds()), null, "—", null,
                String.format(Locale.ROOT, "%d batches at 1 event/s of figure 7's realistic feed, before its steps", floor.size())));
    }

    // ---- 4 ---------------------------------------------------------------------------------------------

    private void figureApi() {
        for (String tool : List.of("wrk", "pgbench")) {
            if (!ApiBench.available(tool)) {
                results.add(Result.failed("4. API", tool + " is not installed (sudo apt-get install -y " + (tool.equals("wrk") ? "wrk" : "postgresql-client") + ")"));
                return;
            }
        }
        PostgresDatabase db = stack.database("api");
        for (ApiBench.Outcome o : ApiBench.run(stack, mode, db)) {
            double ratio = o.wrk().perSecond() / o.pgbench().perSecond();
            boolean met = o.wrk().p99Ms() < 20 && ratio >= 0.5 && o.wrk().errors() == 0;
            results.add(new Result("4. API " + o.endpoint().name() + ": req/s, p50 / p99",
                    String.format(Locale.ROOT, "%s/s, %.1f / %.1f ms", Bench.rate(o.wrk().perSecond()), o.wrk().p50Ms(), o.wrk().p99Ms()),
                    String.format(Locale.ROOT, "%s/s, %.1f / %.1f ms (pgbench)", Bench.rate(o.pgbench().perSecond()), o.pgbench().p50Ms(),
                            o.pgbench().p99Ms()), ratio, "p99 < 20 ms, >= 0.50", met,
                    String.format(Locale.ROOT, "wrk -t2 -c%d -d%ds --latency (after a warm-up run), %d errors; pgbench -M prepared -c%d -j2 -T%d "
                                    + "with the endpoint's SQL on the same database: a day of windows (720 x 500 products)", ApiBench.CONNECTIONS,
                            mode.apiSeconds(), o.wrk().errors(), ApiBench.CONNECTIONS, mode.apiSeconds())));
        }
    }

    // ---- 8 ---------------------------------------------------------------------------------------------

    private void figureCluster() {
        PostgresDatabase db = stack.database("cluster");
        ClusterBench.Outcome o = ClusterBench.run(stack, mode, db);
        // The generator's totals minus what each run dropped behind its watermark (realistic traffic has late events).
        boolean complete = lateOnly(o.cluster(), o.topic()) && lateOnly(o.local(), o.topic());
        results.add(new Result(String.format(Locale.ROOT, "8. Job catch-up on the standalone cluster (2 workers x 1 core), %,d events, events/s",
                        o.topic().events()), Bench.rate(o.cluster().eventsPerSecond()), Bench.rate(o.local().eventsPerSecond()) + " (local[2])",
                o.cluster().eventsPerSecond() / o.local().eventsPerSecond(), "—", null,
                String.format(Locale.ROOT, "the same topic and settings, from JOB_READY until every query's " + AnalyticsSchema.STREAM_PROGRESS + " has read all events: "
                                + "submitted with SparkSubmit (client mode) to a master and two workers, executors of %s, driver %s (%.1f s, "
                                + "%d batches, ready after %.1f s), against one local[2] JVM with %s (%.1f s, %d batches, ready after %.1f s); "
                                + "tables %s. Indicative: every JVM shares the machine's cores", AnalyticsJobProcess.EXECUTOR_MEMORY, AnalyticsJobProcess.DRIVER_HEAP,
                        o.cluster().processingSeconds(), o.cluster().batches(), o.cluster().secondsToReady(), JobRunner.JOB_MEMORY_TEXT,
                        o.local().processingSeconds(), o.local().batches(), o.local().secondsToReady(),
                        complete ? "hold the topic's totals in both runs, less late rows dropped (" + o.local().lateRowsDropped() + " and "
                                + o.cluster().lateRowsDropped() + ")" : "INCOMPLETE")));
    }

    /** The run's tables equal the topic's expected totals, or fall short of them only by rows behind the watermark. */
    private static boolean lateOnly(StreamRun run, TopicSpec topic) {
        AnalyticsTotals.Difference d = run.totals().compareWith(topic.expected());
        return d.none() || (d.onlyShort() && d.missingEvents() <= run.lateRowsDropped());
    }

    // ---- environment -----------------------------------------------------------------------------------

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String memTotalGib() {
        long kib = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    kib = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // n/a
        }
        return kib < 0 ? "n/a" : String.valueOf(Math.round(kib / 1024.0 / 1024.0));
    }

    private String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(stack.layout.root().toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "n/a";
        } catch (IOException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }

}
