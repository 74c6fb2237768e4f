package dev.shopstream.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.shopstream.bench.JobRunner.StreamRun;
import dev.shopstream.bench.JobRunner.TopicSpec;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.SparkStandaloneCluster;

/**
 * The job catching up on one preloaded topic twice in the same run: in local mode with two cores
 * ({@code local[2]}, one JVM), then submitted with SparkSubmit to the local Spark standalone cluster (a master and
 * two workers of one core each, the same launcher as ./run-local.sh --cluster). Same topic, same broker, same
 * database, same settings: the ratio is what the cluster's coordination (a driver and two executor JVMs, tasks
 * and state stores over RPC) costs on one machine.
 */
final class ClusterBench {

    static final String TOPIC = "bench_cluster";

    record Outcome(TopicSpec topic, StreamRun local, StreamRun cluster) {
    }

    private ClusterBench() {
    }

    static Outcome run(Stack stack, Mode mode, PostgresDatabase db) {
        long n = mode.clusterEvents();
        RealisticTraffic events = RealisticTraffic.endingNow(TrafficMix.defaults(), n);
        long t0 = System.nanoTime();
        KafkaSupport.preload(stack.bootstrap(), TOPIC, n, events);
        Bench.log("preloaded %,d records into %s in %.1f s: %s", n, TOPIC, (System.nanoTime() - t0) / 1e9, events.describe());
        TopicSpec topic = TopicSpec.of(TOPIC, n, events);
        JobRunner runner = new JobRunner(stack, db);
        Duration timeout = Duration.ofMinutes(20);

        StreamRun local = runner.stream("local[2]", topic, List.of(), Map.of("SPARK_MASTER", "local[2]"), timeout);
        Bench.log("local[2]: %s", local);

        SparkStandaloneCluster spark = SparkStandaloneCluster.startOnFreePorts(stack.dir("spark"), stack.echo(), stack.quiet());
        try {
            StreamRun cluster = runner.stream("cluster", topic, Map.of(), timeout, (settings, tmp) -> AnalyticsJobProcess.submit(
                    stack.layout, spark, settings, List.of("spark.ui.enabled=false"), tmp, stack.echo(), stack.quiet()));
            Bench.log("cluster: %s", cluster);
            return new Outcome(topic, local, cluster);
        } finally {
            spark.close();
        }
    }
}
