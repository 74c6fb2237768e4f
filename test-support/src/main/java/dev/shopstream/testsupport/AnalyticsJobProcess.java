package dev.shopstream.testsupport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spark analytics job in a JVM of its own (Spark's classpath must not meet the broker's or the
 * service's), started as the local stack, the end-to-end tests and the benchmarks all start it.
 */
public final class AnalyticsJobProcess {

    public static final String MAIN_CLASS = "dev.shopstream.analytics.AnalyticsJob";
    /** The job prints this once all of its streaming queries have started. */
    public static final String READY_MARKER = "JOB_READY";
    /** Each executor on a cluster: within a worker's 1 GiB, with room for the worker's own JVM. */
    public static final String EXECUTOR_MEMORY = "640m";
    /** The driver on a cluster plans batches and writes progress; the executors hold the state. */
    public static final String DRIVER_HEAP = "-Xmx768m";
    /**
     * The job's memory in local mode, as ./run-local.sh and the benchmarks start it: a 576 MB heap with the parallel
     * collector. The state lives in RocksDB, off the heap and within its own budget (StateStoreChoice), so the heap
     * holds a batch in flight, not the state; the parallel collector keeps far smaller bookkeeping than G1 beside the
     * heap. With {@link #MALLOC_ARENAS} they keep the whole process within issue 30's 1 GiB of resident memory
     * (docs/benchmarks.md has the runs).
     */
    public static final List<String> LOCAL_MEMORY = List.of("-Xmx576m", "-XX:+UseParallelGC");
    /**
     * glibc's malloc arenas for the job's JVM: by default up to 8 per core, each holding freed native memory
     * (RocksDB's, Netty's, the JIT's) as resident; two keep that small at no measured cost in throughput.
     */
    static final String MALLOC_ARENAS = "2";

    private AnalyticsJobProcess() {
    }

    /**
     * The job's JVM once it is ready, and the names of its streaming queries as its ready line gives them
     * ({@code JOB_READY queries=a,b}): the one place that knows them is the job.
     */
    public record Started(ManagedProcess process, List<String> queryNames) {

        static Started of(ManagedProcess process, String readyLine) {
            for (String token : readyLine.substring(readyLine.indexOf(READY_MARKER) + READY_MARKER.length()).trim().split("\\s+")) {
                if (token.startsWith("queries=")) {
                    return new Started(process, List.of(token.substring("queries=".length()).split(",")));
                }
            }
            return new Started(process, List.of());
        }
    }

    /**
     * Starts the job and waits until its queries run.
     *
     * @param settings the job's settings as environment variables (KAFKA_BOOTSTRAP_SERVERS, POSTGRES_URL, ...)
     * @param jvmArgs  extra JVM arguments, e.g. -Xmx or -Dspark.* configuration
     * @param workDir  where Spark may put temporary files (a killed JVM leaves them behind)
     */
    public static ManagedProcess startAndAwaitReady(ProjectLayout layout, Map<String, String> settings, List<String> jvmArgs,
                                                    Path workDir, PrintStream echo, boolean quiet) {
        return start(layout, settings, jvmArgs, workDir, echo, quiet).process();
    }

    /** As {@link #startAndAwaitReady}, with the names of the queries it started. */
    public static Started start(ProjectLayout layout, Map<String, String> settings, List<String> jvmArgs,
                                Path workDir, PrintStream echo, boolean quiet) {
        return start(layout, Listen.LOOPBACK, settings, jvmArgs, workDir, echo, quiet);
    }

    /**
     * As {@link #start(ProjectLayout, Map, List, Path, PrintStream, boolean)}, its Spark UI on {@code listen} (Spark binds
     * it to SPARK_LOCAL_IP, every interface without it); the driver's own ports stay on loopback.
     */
    public static Started start(ProjectLayout layout, Listen listen, Map<String, String> settings, List<String> jvmArgs,
                                Path workDir, PrintStream echo, boolean quiet) {
        ProjectLayout.requireBuilt(layout.jobClasses().resolve(MAIN_CLASS.replace('.', '/') + ".class"));
        List<String> command = new ArrayList<>();
        command.add("@" + layout.jobJvmOptions());
        command.add("-Djava.io.tmpdir=" + workDir);
        command.add("-Dspark.local.dir=" + workDir);
        if (!listen.loopback()) {
            // SPARK_LOCAL_IP would also move the driver's RPC and block manager: keep those on loopback.
            command.add("-Dspark.driver.host=" + SparkStandaloneCluster.HOST);
            command.add("-Dspark.driver.bindAddress=" + SparkStandaloneCluster.HOST);
        }
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", ProjectLayout.classpath(layout.jobClasses(), layout.jobClasspathFile()), MAIN_CLASS));
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("SPARK_LOCAL_IP", listen.bindAddress());
        env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
        return awaitReady(ManagedProcess.startJava("job", command, env, layout.root(), echo, quiet));
    }

    /**
     * The job's -spark-submit.jar submitted to a standalone cluster with Spark's own SparkSubmit, in client deploy
     * mode (this JVM is the driver; its executors run on the workers), and waits until its queries run. The
     * settings are the driver's environment variables, as with a local run.
     *
     * @param sparkConf more {@code key=value} Spark configuration, each passed as {@code --conf}
     */
    public static Started submit(ProjectLayout layout, SparkStandaloneCluster cluster, Map<String, String> settings,
                                 List<String> sparkConf, Path workDir, PrintStream echo, boolean quiet) {
        Path jar = layout.jobSubmitJar();
        List<String> command = new ArrayList<>(List.of("@" + layout.jobJvmOptions(), DRIVER_HEAP, "-Djava.io.tmpdir=" + workDir,
                "-cp", cluster.classpath(), "org.apache.spark.deploy.SparkSubmit", "--master", cluster.masterUrl(), "--deploy-mode", "client"));
        List<String> conf = new ArrayList<>(List.of(
                "spark.executor.memory=" + EXECUTOR_MEMORY,
                "spark.executor.cores=" + SparkStandaloneCluster.WORKER_CORES,
                "spark.cores.max=" + SparkStandaloneCluster.WORKERS * SparkStandaloneCluster.WORKER_CORES,
                // The executors are JVMs the workers launch: they need Spark's module flags as much as the driver.
                "spark.executor.extraJavaOptions=" + String.join(" ", jvmOptions(layout)),
                "spark.driver.host=" + SparkStandaloneCluster.HOST));
        conf.addAll(sparkConf);
        conf.forEach(c -> command.addAll(List.of("--conf", c)));
        command.addAll(List.of("--class", MAIN_CLASS, jar.toString()));
        Map<String, String> env = new HashMap<>(cluster.environment());
        // The driver's scratch space (standalone takes it from here, not from spark.local.dir).
        env.put("SPARK_LOCAL_DIRS", workDir.toString());
        env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
        env.putAll(settings);
        return awaitReady(ManagedProcess.startJava("job", command, env, layout.root(), echo, quiet));
    }

    private static Started awaitReady(ManagedProcess job) {
        try {
            return Started.of(job, job.awaitLine(line -> line.contains(READY_MARKER), Duration.ofMinutes(3)));
        } catch (RuntimeException e) {
            job.killHard();
            throw e;
        }
    }

    /** The lines of the job's JVM options file (module flags, time zone), without blank lines. */
    static List<String> jvmOptions(ProjectLayout layout) {
        try {
            return java.nio.file.Files.readAllLines(layout.jobJvmOptions()).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The job's settings for a broker, a database and a checkpoint directory, as environment variables. */
    public static Map<String, String> settings(String bootstrapServers, PostgresDatabase db, Path checkpointDir) {
        return new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "POSTGRES_URL", db.jdbcUrl(),
                "POSTGRES_USER", db.user(),
                "POSTGRES_PASSWORD", db.password(),
                "CHECKPOINT_DIR", checkpointDir.toString()));
    }
}
