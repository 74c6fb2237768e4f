package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.shopstream.bench.JobRunner.TopicSpec;
import dev.shopstream.bench.fast.AllCoresReference;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * Figure 2's engines beside the job, each in a cold JVM of its own and timed from the launch of that JVM to the end
 * of its work (the time it prints), each writing its per-key totals to a file: the one-thread oracle
 * ({@link PlainJavaReference}), the all-core plain-Java limit ({@link AllCoresReference}) and Flink SQL
 * (flink-reference, on its own classpath: its Kafka connector brings its own kafka-clients).
 */
final class PeerRunner {

    /** Flink's heap: with 1 GB its MiniCluster ran short on --full's topic; the job gets 1 GB as ./run-local.sh gives it. */
    static final String FLINK_HEAP = "-Xmx2g";
    static final String PLAIN_HEAP = "-Xmx1g";

    /**
     * @param lateDropped  what the engine reports as dropped behind its watermark (-1: it has no watermark)
     */
    record EngineRun(String engine, long events, double secondsFromLaunch, long peakRssKib, AnalyticsTotals totals, long lateDropped,
                     String detail) {
        double eventsPerSecond() {
            return events / secondsFromLaunch;
        }
    }

    private final Stack stack;
    private int runs;

    PeerRunner(Stack stack) {
        this.stack = stack;
    }

    EngineRun oracle(TopicSpec topic) {
        return run("oracle", PlainJavaReference.RESULT, PlainJavaReference.TOTALS_WRITTEN, List.of(PLAIN_HEAP, "-cp", jobSideClasspath(),
                PlainJavaReference.class.getName()), topic);
    }

    EngineRun allCores(TopicSpec topic) {
        return run("all-cores", AllCoresReference.RESULT, AllCoresReference.TOTALS_WRITTEN, List.of(PLAIN_HEAP, "-cp", jobSideClasspath(),
                AllCoresReference.class.getName()), topic);
    }

    EngineRun flink(TopicSpec topic) {
        ProjectLayout layout = stack.layout;
        Path module = layout.root().resolve("flink-reference");
        if (!java.nio.file.Files.exists(module.resolve("target/flink.classpath"))) {
            throw new IllegalStateException("flink-reference is not built: ./mvnw -q -Pflink -pl flink-reference -am package -DskipTests "
                    + "(./run-benchmarks.sh builds it when it runs the job part)");
        }
        Path tmp = stack.dir("flink-tmp-" + (runs + 1));
        try {
            return run("flink", "FLINK_RESULT", "FLINK_TOTALS_WRITTEN", List.of("@" + module.resolve("src/main/jvm/flink-jvm.options"),
                    FLINK_HEAP, "-Djava.io.tmpdir=" + tmp, "-cp", ProjectLayout.classpath(module.resolve("target/classes"),
                            module.resolve("target/flink.classpath")), "dev.shopstream.flink.FlinkSqlReference"), topic);
        } finally {
            Bench.deleteRecursively(tmp);
        }
    }

    /** Spark alone over the topic, reading only or reading and parsing ({@link SparkFloor}): no totals, a rate. */
    EngineRun sparkFloor(TopicSpec topic, String mode) {
        ProjectLayout layout = stack.layout;
        Path scratch = stack.dir("floor-" + mode + "-" + (runs + 1));
        int run = ++runs;
        List<String> command = new ArrayList<>(List.of("@" + layout.root().resolve("analytics-job/src/main/jvm/spark-jvm.options")));
        command.addAll(JobRunner.JOB_MEMORY);
        command.addAll(List.of("-Djava.io.tmpdir=" + scratch, "-Dspark.local.dir=" + scratch, "-cp", jobSideClasspath(), SparkFloor.class.getName(),
                stack.bootstrap(), topic.topic(), mode, scratch.resolve("checkpoint").toString()));
        long launched = System.currentTimeMillis();
        ManagedProcess process = stack.track(ManagedProcess.startJava("floor-" + mode + "-" + run, command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
                layout.root(), stack.echo(), stack.quiet()));
        var result = process.watchFor(l -> l.startsWith(SparkFloor.RESULT));
        try {
            Map<String, String> fields = Bench.fields(process.await(result, Duration.ofMinutes(20)));
            double seconds = (Long.parseLong(fields.get("end_epoch_ms")) - launched) / 1000.0;
            return new EngineRun("floor-" + mode, Long.parseLong(fields.get("events")), seconds, Long.parseLong(fields.get("peak_rss_kib")),
                    null, -1, "mode=" + mode);
        } finally {
            Stack.stop(process);
            Bench.deleteRecursively(scratch);
        }
    }

    /** Both plain-Java references run on the job's classpath (its kafka-clients and Jackson), as the oracle always has. */
    private String jobSideClasspath() {
        ProjectLayout layout = stack.layout;
        return layout.root().resolve("benchmarks/target/classes") + File.pathSeparator
                + ProjectLayout.classpath(layout.jobClasses(), layout.jobClasspathFile());
    }

    private EngineRun run(String name, String resultLine, String writtenLine, List<String> commandHead, TopicSpec topic) {
        int run = ++runs;
        Path totalsFile = stack.workDir.resolve(name + "-" + run + ".totals");
        List<String> command = new ArrayList<>(commandHead);
        command.addAll(List.of(stack.bootstrap(), topic.topic(), totalsFile.toString()));
        long launched = System.currentTimeMillis();
        ManagedProcess process = stack.track(ManagedProcess.startJava(name, command, Map.of(), stack.layout.root(), stack.echo(), stack.quiet()));
        // Both lines watched from the start: the second comes right after the first, often before a later watch would begin.
        var result = process.watchFor(l -> l.startsWith(resultLine));
        var written = process.watchFor(l -> l.startsWith(writtenLine));
        try {
            Map<String, String> fields = Bench.fields(process.await(result, Duration.ofMinutes(20)));
            process.await(written, Duration.ofMinutes(2));
            double seconds = (Long.parseLong(fields.get("end_epoch_ms")) - launched) / 1000.0;
            AnalyticsTotals totals = AnalyticsTotals.read(totalsFile);
            long late = fields.containsKey("late_dropped") ? Long.parseLong(fields.get("late_dropped")) : -1;
            long events = Long.parseLong(fields.getOrDefault("events", String.valueOf(topic.events())));
            return new EngineRun(name, events, seconds, Long.parseLong(fields.get("peak_rss_kib")), totals, late,
                    String.join(" ", fields.entrySet().stream().filter(e -> !List.of("topic", "end_epoch_ms", "peak_rss_kib").contains(e.getKey()))
                            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        } finally {
            Stack.stop(process);
            Bench.deleteRecursively(totalsFile);
        }
    }
}
