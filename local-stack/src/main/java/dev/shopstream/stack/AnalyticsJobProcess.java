package dev.shopstream.stack;

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

    private AnalyticsJobProcess() {
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
        ProjectLayout.requireBuilt(layout.jobClasses().resolve(MAIN_CLASS.replace('.', '/') + ".class"));
        List<String> command = new ArrayList<>();
        command.add("@" + layout.jobJvmOptions());
        command.add("-Djava.io.tmpdir=" + workDir);
        command.add("-Dspark.local.dir=" + workDir);
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", ProjectLayout.classpath(layout.jobClasses(), layout.jobClasspathFile()), MAIN_CLASS));
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        ManagedProcess job = ManagedProcess.startJava("job", command, env, layout.root(), echo, quiet);
        try {
            job.awaitLine(line -> line.contains(READY_MARKER), Duration.ofMinutes(3));
            return job;
        } catch (RuntimeException e) {
            job.killHard();
            throw e;
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
