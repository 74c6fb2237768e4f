package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Apache Kafka's broker (the kafka-broker module) in a JVM of its own, its clients' listener on loopback unless
 * started with another {@link Listen}. It exits by itself when this JVM goes away, even on kill -9, because it
 * watches the pipe we hold to its standard input.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    public static final String READY_LINE = "KAFKA_READY";

    /** A broker alone serves everything; a node of a cluster shares the work (KafkaCluster gives it less). */
    static final List<String> SINGLE_NODE_HEAP = List.of("-Xms256m", "-Xmx512m");

    private final ManagedProcess process;
    private final CompletableFuture<String> readyLine;
    private volatile String bootstrapServers;

    private KafkaBrokerProcess(ManagedProcess process) {
        this.process = process;
        this.readyLine = process.watchFor(line -> line.startsWith(READY_LINE));
    }

    /** A broker on free ports with a fresh data directory: what each test class wants. */
    public static KafkaBrokerProcess startOnFreePorts(Path dataDir, Map<String, Integer> topics, PrintStream echo) {
        return start(ProjectLayout.locate(), freePort(), freePort(), dataDir, topics, echo, true);
    }

    public static KafkaBrokerProcess start(ProjectLayout layout, int port, int controllerPort, Path dataDir,
                                           Map<String, Integer> topics, PrintStream echo, boolean quiet) {
        return start(layout, Listen.LOOPBACK, port, controllerPort, dataDir, topics, echo, quiet);
    }

    /** As {@link #start(ProjectLayout, int, int, Path, Map, PrintStream, boolean)}, its clients' listener on {@code listen}. */
    public static KafkaBrokerProcess start(ProjectLayout layout, Listen listen, int port, int controllerPort, Path dataDir,
                                           Map<String, Integer> topics, PrintStream echo, boolean quiet) {
        return launch(layout, "kafka", SINGLE_NODE_HEAP, listen, port, controllerPort, dataDir, topics, List.of(), echo, quiet).awaitReady();
    }

    /**
     * Starts the broker's JVM without waiting for it: the nodes of a cluster must start together, since none is
     * ready before a majority of the controller quorum is up.
     *
     * @param clusterArgs the kafka-broker module's cluster options (--node-id, --voters, --replication-factor, ...)
     */
    static KafkaBrokerProcess launch(ProjectLayout layout, String name, List<String> heap, Listen listen, int port, int controllerPort,
                                     Path dataDir, Map<String, Integer> topics, List<String> clusterArgs, PrintStream echo, boolean quiet) {
        String classpath = ProjectLayout.classpath(layout.brokerClasses(), layout.brokerClasspathFile());
        List<String> command = new ArrayList<>(heap);
        command.addAll(List.of("-XX:+UseG1GC", "-Djava.io.tmpdir=" + dataDir, "-cp", classpath, "dev.shopstream.broker.KafkaBroker",
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
                "--data-dir", dataDir.toString(), "--exit-with-parent",
                "--listen", listen.bindAddress(), "--advertised-host", listen.advertisedHost()));
        command.addAll(clusterArgs);
        topics.forEach((topic, partitions) -> command.addAll(List.of("--topic", topic + ":" + partitions)));
        return new KafkaBrokerProcess(ManagedProcess.startJava(name, command, Map.of(), layout.root(), echo, quiet));
    }

    /** Waits for the broker's ready line (clients can connect, its topics exist); kills it if that fails. */
    KafkaBrokerProcess awaitReady() {
        try {
            String ready = process.await(readyLine, Duration.ofSeconds(120));
            bootstrapServers = ready.substring(READY_LINE.length()).trim();
            return this;
        } catch (RuntimeException e) {
            process.killHard();
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: a crashed broker, for failover tests. */
    public void killHard() {
        process.killHard();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    void stop(Duration grace) {
        process.stop(grace);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
