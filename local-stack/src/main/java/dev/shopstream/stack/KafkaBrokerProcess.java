package dev.shopstream.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apache Kafka's broker (the kafka-broker module) in a JVM of its own. It exits by itself when this JVM
 * goes away, even on kill -9, because it watches the pipe we hold to its standard input.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    public static final String READY_LINE = "KAFKA_READY";

    private final ManagedProcess process;
    private final String bootstrapServers;

    private KafkaBrokerProcess(ManagedProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** A broker on free ports with a fresh data directory: what each test class wants. */
    public static KafkaBrokerProcess startOnFreePorts(Path dataDir, Map<String, Integer> topics, PrintStream echo) {
        return start(ProjectLayout.locate(), freePort(), freePort(), dataDir, topics, echo, true);
    }

    public static KafkaBrokerProcess start(ProjectLayout layout, int port, int controllerPort, Path dataDir,
                                           Map<String, Integer> topics, PrintStream echo, boolean quiet) {
        String classpath = ProjectLayout.classpath(layout.brokerClasses(), layout.brokerClasspathFile());
        List<String> command = new ArrayList<>(List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-Djava.io.tmpdir=" + dataDir, "-cp", classpath, "dev.shopstream.broker.KafkaBroker",
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
                "--data-dir", dataDir.toString(), "--exit-with-parent"));
        topics.forEach((name, partitions) -> command.addAll(List.of("--topic", name + ":" + partitions)));
        ManagedProcess process = ManagedProcess.startJava("kafka", command, Map.of(), layout.root(), echo, quiet);
        try {
            String ready = process.awaitLine(line -> line.startsWith(READY_LINE), Duration.ofSeconds(90));
            return new KafkaBrokerProcess(process, ready.substring(READY_LINE.length()).trim());
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

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
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
