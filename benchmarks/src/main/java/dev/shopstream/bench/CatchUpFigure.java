package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.shopstream.bench.JobRunner.StreamRun;
import dev.shopstream.bench.JobRunner.TopicSpec;
import dev.shopstream.bench.PeerRunner.EngineRun;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * Figure 2 on realistic traffic (issue 30): the job, Flink SQL, the all-core plain-Java limit and the one-thread oracle
 * over the same topic, interleaved round by round (job, Flink, all cores, oracle, then again) so a slow spell of the
 * shared machine hits all alike, each timed from the launch of its JVM; per engine the median run. Every run's totals
 * are compared with that round's oracle key by key: the all-core reference must equal it (else the figure fails), the
 * oracle must equal the generator's bookkeeping, and the job's and Flink's differences are explained or reported.
 */
final class CatchUpFigure {

    /** One round's runs; flink null when it failed (the reason in flinkFailure). */
    /** @param readFloor Spark reading the topic into a noop sink (null when not measured); parseFloor the same with the job's parser */
    record Round(StreamRun job, EngineRun flink, String flinkFailure, EngineRun allCores, EngineRun oracle, EngineRun readFloor,
                 EngineRun parseFloor) {
    }

    /** Every engine's runs over one topic, and what their totals say. */
    record Outcome(TopicSpec topic, List<Round> rounds) {

        StreamRun job() {
            return median(rounds.stream().map(Round::job).toList(), StreamRun::eventsPerSecondFromLaunch);
        }

        EngineRun flink() {
            List<EngineRun> runs = rounds.stream().map(Round::flink).filter(java.util.Objects::nonNull).toList();
            return runs.isEmpty() ? null : median(runs, EngineRun::eventsPerSecond);
        }

        EngineRun allCores() {
            return median(rounds.stream().map(Round::allCores).toList(), EngineRun::eventsPerSecond);
        }

        EngineRun oracle() {
            return median(rounds.stream().map(Round::oracle).toList(), EngineRun::eventsPerSecond);
        }

        /** The all-core reference equals the oracle, and the oracle the generator, on every key of every run. */
        boolean referencesAgree() {
            return rounds.stream().allMatch(r -> r.allCores().totals().compareWith(r.oracle().totals()).none()
                    && (topic.expected() == null ? r.oracle().totals().activityTotal() == topic.expectedEvents()
                    && r.oracle().totals().viewTotal() == topic.views() : r.oracle().totals().compareWith(topic.expected()).none()));
        }

        /** Each of the job's runs equals the oracle's totals, or falls short of them only by events behind its watermark. */
        boolean jobExplained() {
            return rounds.stream().allMatch(r -> jobDifferenceExplained(r.job(), r.oracle()));
        }

        String jobTotals() {
            return distinct(r -> explainJob(r.job(), r.oracle()));
        }

        String flinkTotals() {
            return distinct(r -> r.flink() == null ? "failed: " + r.flinkFailure() : explainFlink(r.flink(), r.oracle()));
        }

        String allCoresTotals() {
            return distinct(r -> {
                AnalyticsTotals.Difference d = r.allCores().totals().compareWith(r.oracle().totals());
                return d.none() ? "equal to the oracle's on every key" : "DIFFER from the oracle's: " + d;
            });
        }

        String oracleTotals() {
            return distinct(r -> {
                if (topic.expected() == null) {
                    return r.oracle().totals().activityTotal() == topic.expectedEvents() ? "every event of the topic, once"
                            : "DIFFER from the topic: " + r.oracle().totals().activityTotal() + " events";
                }
                AnalyticsTotals.Difference d = r.oracle().totals().compareWith(topic.expected());
                return d.none() ? "equal to the generator's own count on every key" : "DIFFER from the generator's count: " + d;
            });
        }

        /** The runs' explanations, each once, with the runs it applies to when they differ. */
        private String distinct(Function<Round, String> explain) {
            Set<String> texts = new LinkedHashSet<>();
            rounds.forEach(r -> texts.add(explain.apply(r)));
            if (texts.size() == 1) {
                return texts.iterator().next() + (rounds.size() > 1 ? " (every run)" : "");
            }
            List<String> perRun = new ArrayList<>();
            for (int i = 0; i < rounds.size(); i++) {
                perRun.add("run " + (i + 1) + ": " + explain.apply(rounds.get(i)));
            }
            return String.join("; ", perRun);
        }
    }

    private CatchUpFigure() {
    }

    static Outcome run(JobRunner runner, PeerRunner peers, TopicSpec topic, int repeats, boolean withFlink, Duration timeout) {
        return run(runner, peers, topic, repeats, withFlink, false, timeout);
    }

    /** @param withFloors also Spark's floor (read only, read and parse) in each round */
    static Outcome run(JobRunner runner, PeerRunner peers, TopicSpec topic, int repeats, boolean withFlink, boolean withFloors, Duration timeout) {
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            StreamRun job = runner.stream("job", topic, List.of(), Map.of(), timeout);
            Bench.log("job: %s", summary(job));
            EngineRun flink = null;
            String flinkFailure = withFlink ? null : "not run";
            if (withFlink) {
                try {
                    flink = peers.flink(topic);
                    Bench.log("Flink SQL: %s", summary(flink));
                } catch (RuntimeException e) {
                    flinkFailure = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                    Bench.log("Flink SQL failed: %s", flinkFailure);
                }
            }
            EngineRun allCores = peers.allCores(topic);
            Bench.log("all cores: %s", summary(allCores));
            EngineRun oracle = peers.oracle(topic);
            Bench.log("oracle: %s", summary(oracle));
            EngineRun readFloor = null;
            EngineRun parseFloor = null;
            if (withFloors) {
                readFloor = peers.sparkFloor(topic, SparkFloor.READ);
                Bench.log("Spark alone, read: %s", summary(readFloor));
                parseFloor = peers.sparkFloor(topic, SparkFloor.PARSE);
                Bench.log("Spark alone, read and parse: %s", summary(parseFloor));
            }
            rounds.add(new Round(job, flink, flinkFailure, allCores, oracle, readFloor, parseFloor));
        }
        return new Outcome(topic, List.copyOf(rounds));
    }

    static boolean jobDifferenceExplained(StreamRun job, EngineRun oracle) {
        AnalyticsTotals.Difference d = job.totals().compareWith(oracle.totals());
        return d.none() || (d.onlyShort() && d.missingEvents() <= job.lateRowsDropped());
    }

    static String explainJob(StreamRun job, EngineRun oracle) {
        AnalyticsTotals.Difference d = job.totals().compareWith(oracle.totals());
        if (d.none()) {
            return "equal to the oracle's on every key" + (job.lateRowsDropped() > 0 ? " (" + job.lateRowsDropped() + " late rows dropped, "
                    + "each a copy of an event counted)" : "");
        }
        if (jobDifferenceExplained(job, oracle)) {
            return String.format(Locale.ROOT, "%,d events fewer than the oracle (%,d views, %s revenue), none in excess: late, behind the "
                            + "job's watermark (" + AnalyticsSchema.STREAM_PROGRESS + ": %,d late rows dropped)", d.missingEvents(), d.missingViews(),
                    java.math.BigDecimal.valueOf(d.missingRevenueCents(), 2).toPlainString(), job.lateRowsDropped());
        }
        return "DIFFER from the oracle's beyond late drops (" + job.lateRowsDropped() + " late rows dropped): " + d;
    }

    static String explainFlink(EngineRun flink, EngineRun oracle) {
        AnalyticsTotals.Difference d = flink.totals().compareWith(oracle.totals());
        if (d.none()) {
            return "equal to the oracle's on every key";
        }
        List<String> parts = new ArrayList<>();
        if (d.missingEvents() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d events fewer than the oracle: late, behind Flink's watermark (its window operators "
                    + "report %,d late rows dropped, counted after their local pre-aggregation, so fewer than events)", d.missingEvents(),
                    flink.lateDropped()));
        }
        if (d.extraEvents() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d events more than the oracle: records the contract rejects that Flink's JSON format "
                    + "reads (e.g. %s)", d.extraEvents(), String.join("; ", d.excessSamples())));
        }
        return String.join("; ", parts) + String.format(Locale.ROOT, " [%d view, %d activity, %d revenue keys differ]", d.viewKeys(),
                d.activityKeys(), d.revenueKeys());
    }

    private static String summary(StreamRun run) {
        return String.format(Locale.ROOT, "%s/s from launch (%.1f s; from JOB_READY %s/s), %d batches, peak RSS %s, %,d late rows dropped, "
                        + "%,d rejected", Bench.rate(run.eventsPerSecondFromLaunch()), run.secondsFromLaunch(), Bench.rate(run.eventsPerSecond()),
                run.batches(), Bench.mib(run.peakRssKib()), run.lateRowsDropped(), run.rejectedRows());
    }

    private static String summary(EngineRun run) {
        return String.format(Locale.ROOT, "%s/s from launch (%.1f s), peak RSS %s, %s", Bench.rate(run.eventsPerSecond()), run.secondsFromLaunch(),
                Bench.mib(run.peakRssKib()), run.detail());
    }

    static <T> T median(List<T> runs, ToDoubleFunction<T> rate) {
        List<T> sorted = runs.stream().sorted(Comparator.comparingDouble(rate)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    static <T> String rates(List<T> runs, ToDoubleFunction<T> rate) {
        return runs.stream().map(r -> Bench.rate(rate.applyAsDouble(r))).collect(Collectors.joining(", "));
    }

    /** The engines' table as markdown (readable as text too). */
    static String table(Outcome o, String heading) {
        StreamRun job = o.job();
        double jobRate = job.eventsPerSecondFromLaunch();
        StringBuilder out = new StringBuilder(heading + "\n\n");
        out.append("| on the same topic | events/s from launch (runs) | vs the job | peak RSS | totals |\n|---|---:|---:|---:|---|\n");
        List<StreamRun> jobs = o.rounds().stream().map(Round::job).toList();
        row(out, "the job (`local[*]`, as `./run-local.sh` starts it)", jobRate, rates(jobs, StreamRun::eventsPerSecondFromLaunch), 1.0,
                jobs.stream().mapToLong(StreamRun::peakRssKib).max().orElse(-1), o.jobTotals());
        EngineRun flink = o.flink();
        List<EngineRun> flinks = o.rounds().stream().map(Round::flink).filter(java.util.Objects::nonNull).toList();
        if (flink != null) {
            row(out, "Flink " + "2.2.1 SQL, local MiniCluster, parallelism = cores", flink.eventsPerSecond(), rates(flinks, EngineRun::eventsPerSecond),
                    flink.eventsPerSecond() / jobRate, flinks.stream().mapToLong(EngineRun::peakRssKib).max().orElse(-1), o.flinkTotals());
        } else if (o.rounds().get(0).flinkFailure() != null && !o.rounds().get(0).flinkFailure().equals("not run")) {
            out.append("| Flink SQL | failed | — | — | ").append(o.flinkTotals().replace("|", "\\|")).append(" |\n");
        }
        List<EngineRun> fasts = o.rounds().stream().map(Round::allCores).toList();
        row(out, "plain Java, all cores (`fast.AllCoresReference`)", o.allCores().eventsPerSecond(), rates(fasts, EngineRun::eventsPerSecond),
                o.allCores().eventsPerSecond() / jobRate, fasts.stream().mapToLong(EngineRun::peakRssKib).max().orElse(-1), o.allCoresTotals());
        List<EngineRun> oracles = o.rounds().stream().map(Round::oracle).toList();
        row(out, "plain Java, one thread: the oracle (`PlainJavaReference`)", o.oracle().eventsPerSecond(), rates(oracles, EngineRun::eventsPerSecond),
                o.oracle().eventsPerSecond() / jobRate, oracles.stream().mapToLong(EngineRun::peakRssKib).max().orElse(-1), o.oracleTotals());
        floorRow(out, o, Round::readFloor, "Spark alone: the job's session and Kafka source into a noop sink (`SparkFloor`, read only)", jobRate);
        floorRow(out, o, Round::parseFloor, "Spark alone: the same, with the job's parser (`SparkFloor`, read and parse)", jobRate);
        return out.toString();
    }

    private static void floorRow(StringBuilder out, Outcome o, Function<Round, EngineRun> floor, String engine, double jobRate) {
        List<EngineRun> runs = o.rounds().stream().map(floor).filter(java.util.Objects::nonNull).toList();
        if (runs.isEmpty()) {
            return;
        }
        EngineRun median = median(runs, EngineRun::eventsPerSecond);
        row(out, engine, median.eventsPerSecond(), rates(runs, EngineRun::eventsPerSecond), median.eventsPerSecond() / jobRate,
                runs.stream().mapToLong(EngineRun::peakRssKib).max().orElse(-1), "— (no totals: no design of the job on Spark reads faster)");
    }

    /** Spark's floor with the job's parser, the median of the rounds that measured it; null when none did. */
    static EngineRun parseFloor(Outcome o) {
        List<EngineRun> runs = o.rounds().stream().map(Round::parseFloor).filter(java.util.Objects::nonNull).toList();
        return runs.isEmpty() ? null : median(runs, EngineRun::eventsPerSecond);
    }

    private static void row(StringBuilder out, String engine, double median, String runs, double vsJob, long rssKib, String totals) {
        out.append("| ").append(engine).append(" | ").append(Bench.rate(median)).append(" (").append(runs).append(") | ")
                .append(Bench.fixed(vsJob, 2)).append(" | ").append(Bench.mib(rssKib)).append(" | ").append(totals.replace("|", "\\|")).append(" |\n");
    }
}
