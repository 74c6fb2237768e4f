package dev.shopstream.testsupport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A replicated Kafka cluster on this machine: three KRaft nodes, each broker and controller (the controller
 * quorum is all three, so it survives one node), each in a JVM of its own from the kafka-broker module's
 * classpath. Topics get replication factor 3 and min.insync.replicas 2: an acks=all producer goes on when one
 * node is down. Node {@code n} (1..3) listens on {@code firstPort + 2(n-1)}, its controller on the next port.
 */
public final class KafkaCluster implements AutoCloseable {

    public static final int NODES = 3;
    public static final int REPLICATION_FACTOR = 3;
    public static final int MIN_INSYNC_REPLICAS = 2;
    /** Three nodes share the load of one: a smaller heap each (they hold little but page cache). */
    static final List<String> NODE_HEAP = List.of("-Xms128m", "-Xmx320m");

    private final ProjectLayout layout;
    private final Path dataDir;
    private final Listen listen;
    private final int[] ports;
    private final int[] controllerPorts;
    private final Map<String, Integer> topics;
    private final PrintStream echo;
    private final boolean quiet;
    private final KafkaBrokerProcess[] nodes = new KafkaBrokerProcess[NODES];

    private KafkaCluster(ProjectLayout layout, Path dataDir, Listen listen, int[] ports, int[] controllerPorts, Map<String, Integer> topics,
                         PrintStream echo, boolean quiet) {
        this.layout = layout;
        this.dataDir = dataDir;
        this.listen = listen;
        this.ports = ports;
        this.controllerPorts = controllerPorts;
        this.topics = topics;
        this.echo = echo;
        this.quiet = quiet;
    }

    /** On free ports with a fresh data directory: what a test wants. */
    public static KafkaCluster startOnFreePorts(Path dataDir, Map<String, Integer> topics, PrintStream echo, boolean quiet) {
        int[] ports = IntStream.range(0, NODES).map(i -> KafkaBrokerProcess.freePort()).toArray();
        int[] controllerPorts = IntStream.range(0, NODES).map(i -> KafkaBrokerProcess.freePort()).toArray();
        return new KafkaCluster(ProjectLayout.locate(), dataDir, Listen.LOOPBACK, ports, controllerPorts, topics, echo, quiet).startAll();
    }

    /** Node n on firstPort + 2(n-1), its controller on the port after: 9092/9093, 9094/9095, 9096/9097. */
    public static KafkaCluster start(ProjectLayout layout, int firstPort, Path dataDir, Map<String, Integer> topics,
                                     PrintStream echo, boolean quiet) {
        return start(layout, Listen.LOOPBACK, firstPort, dataDir, topics, echo, quiet);
    }

    /** As {@link #start(ProjectLayout, int, Path, Map, PrintStream, boolean)}, the nodes' clients' listeners on {@code listen}. */
    public static KafkaCluster start(ProjectLayout layout, Listen listen, int firstPort, Path dataDir, Map<String, Integer> topics,
                                     PrintStream echo, boolean quiet) {
        int[] ports = IntStream.range(0, NODES).map(i -> firstPort + 2 * i).toArray();
        int[] controllerPorts = IntStream.range(0, NODES).map(i -> firstPort + 2 * i + 1).toArray();
        return new KafkaCluster(layout, dataDir, listen, ports, controllerPorts, topics, echo, quiet).startAll();
    }

    /** Every port the cluster takes, for a check before starting. */
    public static List<Integer> ports(int firstPort) {
        return IntStream.range(0, 2 * NODES).mapToObj(i -> firstPort + i).toList();
    }

    /** All nodes start together: none is ready before a majority of the quorum is up. */
    private KafkaCluster startAll() {
        for (int node = 1; node <= NODES; node++) {
            nodes[node - 1] = launch(node);
        }
        try {
            for (KafkaBrokerProcess node : nodes) {
                node.awaitReady();
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private KafkaBrokerProcess launch(int node) {
        String voters = IntStream.rangeClosed(1, NODES).mapToObj(n -> n + "@localhost:" + controllerPorts[n - 1])
                .collect(Collectors.joining(","));
        List<String> clusterArgs = List.of("--node-id", String.valueOf(node), "--voters", voters,
                "--replication-factor", String.valueOf(REPLICATION_FACTOR), "--min-insync-replicas", String.valueOf(MIN_INSYNC_REPLICAS));
        // Node 1 creates the topics, once all three have registered (replication factor 3 needs them).
        return KafkaBrokerProcess.launch(layout, "kafka-" + node, NODE_HEAP, listen, ports[node - 1], controllerPorts[node - 1],
                dataDir.resolve("node-" + node), node == 1 ? topics : Map.of(), clusterArgs, echo, quiet);
    }

    /** Every node, as clients want it: any one of them is enough to find the others. */
    public String bootstrapServers() {
        return IntStream.range(0, NODES).mapToObj(i -> listen.advertisedHost() + ":" + ports[i]).collect(Collectors.joining(","));
    }

    public int port(int node) {
        return ports[node - 1];
    }

    public boolean isAlive(int node) {
        return nodes[node - 1].isAlive();
    }

    /** kill -9 of node n (1..3): a crash, no controlled shutdown. */
    public void kill(int node) {
        nodes[node - 1].killHard();
    }

    /** Starts node n again on its data (it catches up from the others) and waits until it is ready. */
    public void restart(int node) {
        if (nodes[node - 1].isAlive()) {
            throw new IllegalStateException("Kafka node " + node + " is running");
        }
        nodes[node - 1] = launch(node).awaitReady();
    }

    /** Stops the nodes together: one by one, the last would wait for a quorum that is gone. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (KafkaBrokerProcess node : nodes) {
            if (node != null) {
                stopping.add(CompletableFuture.runAsync(() -> node.stop(Duration.ofSeconds(20))));
            }
        }
        stopping.forEach(CompletableFuture::join);
    }
}
