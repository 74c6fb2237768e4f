package dev.shopstream.bench;

import java.util.List;

/**
 * How much each benchmark does. {@code --full} is the protocol; {@code --short} is the same suite on
 * less data and shorter windows (under 5 minutes), which the table says.
 *
 * @param producerWarmupSeconds  excluded from both producer measurements (JIT, connection set-up)
 * @param producerSeconds        the measured window of the service and of Kafka's tool, each
 * @param jobEvents              events preloaded for the job throughput figure
 * @param jobRepeats             catch-up runs of the job, each followed by one of the plain-Java thread; figure 2 takes
 *                               the median of each (one run of either varied by 15% or more on the shared machine)
 * @param scaleEvents            events preloaded per key count for the scale figure
 * @param scaleKeys              distinct products per scale topic (all in one window)
 * @param freshnessSeconds       how long probes are sent at the steady 2,000 events/s
 * @param freshnessWarmUpSeconds how long the job runs at that rate before those probes (probed too, reported apart): the
 *                               JIT compiles Spark's code in the job's first minute or two, and its batches take twice as
 *                               long meanwhile
 * @param apiSeconds             each wrk and pgbench run
 * @param sustainSeconds         each rate of the sustainable-rate figure
 * @param clusterEvents          events preloaded for the cluster figure (the same topic for local[2] and the cluster)
 * @param giantRecords           records of figure 2c's topic, a tenth of them giant rejects of ~1 MB
 */
record Mode(String name, int producerWarmupSeconds, int producerSeconds, long jobEvents, int jobRepeats, long scaleEvents,
            List<Integer> scaleKeys, int freshnessSeconds, int freshnessWarmUpSeconds, int apiSeconds, int sustainSeconds, long clusterEvents, long giantRecords) {

    static Mode full() {
        return new Mode("full", 10, 30, 2_000_000, 3, 1_500_000, List.of(1_000, 100_000, 1_000_000), 120, 90, 30, 60, 1_000_000, 50_000);
    }

    Mode withJobRepeats(int repeats) {
        return new Mode(name, producerWarmupSeconds, producerSeconds, jobEvents, repeats, scaleEvents, scaleKeys, freshnessSeconds, freshnessWarmUpSeconds, apiSeconds,
                sustainSeconds, clusterEvents, giantRecords);
    }

    static Mode shortMode() {
        return new Mode("short", 3, 8, 200_000, 1, 100_000, List.of(100_000), 20, 10, 8, 20, 100_000, 10_000);
    }
}
