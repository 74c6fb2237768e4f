package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine, from the Spark jars the build already has: a master and two
 * workers (1 core, 1 GiB for executors each), each a JVM of its own started by its main class, as Spark's
 * sbin scripts do. SPARK_HOME is a directory this class writes (see {@link #prepareSparkHome}); the workers
 * build each executor's classpath from its {@code jars/}.
 */
public final class SparkStandaloneCluster implements AutoCloseable {

    public static final int WORKERS = 2;
    public static final int WORKER_CORES = 1;
    public static final String WORKER_MEMORY = "1g";
    /** Master and worker daemons only keep track of the cluster (Spark's own default is 1g). */
    static final String DAEMON_HEAP = "-Xmx256m";
    static final String HOST = "127.0.0.1";
    private final ProjectLayout layout;
    private final Path sparkHome;
    private final Path workDir;
    private final Listen listen;
    private final int masterPort;
    private final int webUiPort;
    private final int[] workerUiPorts;
    private final PrintStream echo;
    private final boolean quiet;
    private ManagedProcess master;
    private final ManagedProcess[] workers = new ManagedProcess[WORKERS];
    private final List<CompletableFuture<String>> registered = new ArrayList<>(java.util.Collections.nCopies(WORKERS, null));

    private SparkStandaloneCluster(ProjectLayout layout, Path workDir, Listen listen, int masterPort, int webUiPort, int[] workerUiPorts,
                                   PrintStream echo, boolean quiet) {
        this.layout = layout;
        this.workDir = workDir;
        this.listen = listen;
        this.sparkHome = workDir.resolve("spark-home");
        this.masterPort = masterPort;
        this.webUiPort = webUiPort;
        this.workerUiPorts = workerUiPorts;
        this.echo = echo;
        this.quiet = quiet;
    }

    public static SparkStandaloneCluster startOnFreePorts(Path workDir, PrintStream echo, boolean quiet) {
        return start(ProjectLayout.locate(), workDir, KafkaBrokerProcess.freePort(), KafkaBrokerProcess.freePort(),
                new int[] {KafkaBrokerProcess.freePort(), KafkaBrokerProcess.freePort()}, echo, quiet);
    }

    /**
     * @param workDir SPARK_HOME (written here), the workers' work and local directories
     */
    public static SparkStandaloneCluster start(ProjectLayout layout, Path workDir, int masterPort, int webUiPort, int[] workerUiPorts,
                                               PrintStream echo, boolean quiet) {
        return start(layout, Listen.LOOPBACK, workDir, masterPort, webUiPort, workerUiPorts, echo, quiet);
    }

    /**
     * As {@link #start(ProjectLayout, Path, int, int, int[], PrintStream, boolean)}, the web UIs (the master's, the
     * workers', the driver's) on {@code listen}; the master's and the workers' RPC ports stay on loopback.
     */
    public static SparkStandaloneCluster start(ProjectLayout layout, Listen listen, Path workDir, int masterPort, int webUiPort,
                                               int[] workerUiPorts, PrintStream echo, boolean quiet) {
        SparkStandaloneCluster cluster = new SparkStandaloneCluster(layout, workDir, listen, masterPort, webUiPort, workerUiPorts, echo, quiet);
        prepareSparkHome(layout, cluster.sparkHome);
        // The daemons cannot watch for their parent as the broker does: stop them when this JVM ends, even
        // half-way through starting them (a JVM killed with -9 leaves them behind).
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::killAll, "spark-cluster-cleanup"));
        try {
            cluster.startMaster();
            for (int worker = 1; worker <= WORKERS; worker++) {
                cluster.workers[worker - 1] = cluster.launchWorker(worker);
            }
            for (int worker = 1; worker <= WORKERS; worker++) {
                cluster.awaitRegistered(worker);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * SPARK_HOME as Spark's launcher code expects it: {@code jars/} with Spark's jars (links to the job's
     * classpath, minus what the -spark-submit.jar bundles), {@code conf/log4j2.properties} (the job's logging,
     * plus the deploy messages that say when the master and workers are up).
     */
    public static void prepareSparkHome(ProjectLayout layout, Path sparkHome) {
        try {
            Path jars = sparkHome.resolve("jars");
            if (Files.exists(jars)) {
                try (Stream<Path> old = Files.list(jars)) {
                    for (Path link : old.toList()) {
                        Files.delete(link);
                    }
                }
            }
            Files.createDirectories(jars);
            // What the -spark-submit.jar bundles stays out, as a Spark distribution leaves it out: the cluster runs the
            // jar with only what a real cluster has (and a library in both places would be loaded from jars/, apart
            // from the classes it needs in the application's jar).
            Set<String> bundled = bundledArtifacts(layout.jobSubmitJar());
            for (String entry : Files.readString(layout.jobClasspathFile()).trim().split(java.io.File.pathSeparator)) {
                Path jar = Path.of(entry);
                String name = jar.getFileName().toString();
                if (bundled.stream().noneMatch(name::startsWith) && !Files.exists(jars.resolve(name))) {
                    Files.createSymbolicLink(jars.resolve(name), jar);
                }
            }
            Path conf = Files.createDirectories(sparkHome.resolve("conf"));
            ProjectLayout.requireBuilt(layout.jobLogConfig());
            Files.writeString(conf.resolve("log4j2.properties"), Files.readString(layout.jobLogConfig()) + """

                    # Added by the local stack's Spark cluster: the master, the workers and the driver's client say when they
                    # are up, when an executor is added or lost (the launcher waits for these lines).
                    logger.deploy.name = org.apache.spark.deploy
                    logger.deploy.level = info
                    # Its launch command is the whole classpath, a line of tens of kilobytes.
                    logger.executorrunner.name = org.apache.spark.deploy.worker.ExecutorRunner
                    logger.executorrunner.level = warn
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare SPARK_HOME in " + sparkHome, e);
        }
    }

    /**
     * The artifacts the shade plugin put into the jar, as {@code artifactId-version}, read from the
     * {@code META-INF/maven/<group>/<artifact>/pom.properties} each one brings: the job's pom is their one list.
     */
    static Set<String> bundledArtifacts(Path shadedJar) throws IOException {
        Set<String> bundled = new HashSet<>();
        try (JarFile jar = new JarFile(shadedJar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                    Properties pom = new Properties();
                    try (var in = jar.getInputStream(entry)) {
                        pom.load(in);
                    }
                    bundled.add(pom.getProperty("artifactId") + "-" + pom.getProperty("version"));
                }
            }
        }
        return bundled;
    }

    /** The classpath of every Spark JVM here, as bin/spark-class builds it: the conf directory, then jars/. */
    public String classpath() {
        return sparkHome.resolve("conf") + java.io.File.pathSeparator + sparkHome.resolve("jars") + "/*";
    }

    /**
     * The environment of every Spark JVM here (daemons and the driver alike). Spark binds each web UI to SPARK_LOCAL_IP
     * (every interface without it); the RPC ports are bound to HOST by the daemons' --host and spark.driver.host.
     */
    public Map<String, String> environment() {
        return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", listen.bindAddress(), "SPARK_SCALA_VERSION", "2.13");
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public int webUiPort() {
        return webUiPort;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    private void startMaster() {
        // No REST submission server: client deploy mode needs none, and its fixed port 6066 would clash.
        master = startDaemon("spark-master", workDir.resolve("master"), List.of("-Dspark.master.rest.enabled=false",
                "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(webUiPort)));
        awaitOrKill(master, master.watchFor(line -> line.contains("I have been elected leader")));
    }

    private ManagedProcess launchWorker(int worker) {
        Path dir = workDir.resolve("worker-" + worker);
        ManagedProcess process = startDaemon("spark-worker-" + worker, dir, List.of("org.apache.spark.deploy.worker.Worker", "--host", HOST,
                "--cores", String.valueOf(WORKER_CORES), "--memory", WORKER_MEMORY, "--webui-port", String.valueOf(workerUiPorts[worker - 1]),
                "--work-dir", dir.resolve("work").toString(), masterUrl()));
        registered.set(worker - 1, process.watchFor(line -> line.contains("Successfully registered with master")));
        return process;
    }

    private void awaitRegistered(int worker) {
        awaitOrKill(workers[worker - 1], registered.get(worker - 1));
    }

    private static void awaitOrKill(ManagedProcess daemon, CompletableFuture<String> ready) {
        try {
            daemon.await(ready, Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            daemon.killHard();
            throw e;
        }
    }

    private ManagedProcess startDaemon(String name, Path dir, List<String> mainAndArgs) {
        try {
            Files.createDirectories(dir.resolve("local"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("@" + layout.jobJvmOptions(), DAEMON_HEAP, "-Djava.io.tmpdir=" + dir.resolve("local"),
                "-cp", classpath()));
        command.addAll(mainAndArgs);
        Map<String, String> env = new java.util.HashMap<>(environment());
        // Where a worker's executors put shuffle and block files (a killed executor leaves them behind).
        env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        return ManagedProcess.startJava(name, command, env, layout.root(), echo, quiet);
    }

    /** kill -9 of worker n (1..2); returns the executors it had launched, which stop by themselves once it is gone. */
    public List<ProcessHandle> killWorker(int worker) {
        ManagedProcess process = workers[worker - 1];
        List<ProcessHandle> executors = ProcessHandle.of(process.pid()).stream().flatMap(ProcessHandle::descendants).toList();
        process.killHard();
        return executors;
    }

    /** The executors worker n runs now (its child JVMs). */
    public List<ProcessHandle> executorsOf(int worker) {
        return ProcessHandle.of(workers[worker - 1].pid()).stream().flatMap(ProcessHandle::descendants).toList();
    }

    /** Starts worker n again and waits until the master has it back. */
    public void restartWorker(int worker) {
        if (workers[worker - 1].isAlive()) {
            throw new IllegalStateException("Spark worker " + worker + " is running");
        }
        workers[worker - 1] = launchWorker(worker);
        awaitRegistered(worker);
    }

    private void killAll() {
        for (ManagedProcess worker : workers) {
            if (worker != null && worker.isAlive()) {
                worker.killHard();
            }
        }
        if (master != null && master.isAlive()) {
            master.killHard();
        }
    }

    /** Workers first (they stop their executors), then the master. */
    @Override
    public void close() {
        for (ManagedProcess worker : workers) {
            if (worker != null) {
                worker.stop(Duration.ofSeconds(15));
            }
        }
        if (master != null) {
            master.stop(Duration.ofSeconds(15));
        }
    }
}
