package dev.shopstream.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * Apache Kafka's own broker, in KRaft mode (broker and controller in one process), with the topics the
 * pipeline uses. It is a plain process so that its kafka-clients 4.x never shares a classpath with Spark's.
 * Alone by default; with {@code --node-id}, {@code --voters} and {@code --replication-factor} it is one node of
 * a replicated cluster whose controller quorum is every node (the local stack's {@code --cluster}).
 *
 * <p>Its client listener is on loopback (127.0.0.1) unless {@code --listen} names another address (0.0.0.0: every
 * interface; then {@code --advertised-host} should name this machine as the clients reach it).
 * It prints {@code KAFKA_READY <bootstrap>} on standard output once clients can connect. With
 * {@code --exit-with-parent} it stops when its standard input closes, so a test JVM that dies, even by
 * {@code kill -9}, never leaves a broker holding the port.
 */
public final class KafkaBroker {

    public static final String READY_LINE = "KAFKA_READY";

    private KafkaBroker() {
    }

    public static void main(String[] args) throws Exception {
        // Set before Kafka creates its first logger; a plain log4j2.properties would leak onto the
        // classpath of every module that depends on this jar for the build order.
        System.setProperty("log4j2.configurationFile", "broker-log4j2.properties");
        BrokerOptions options = BrokerOptions.parse(args);
        Files.createDirectories(options.dataDir());
        Path configFile = options.dataDir().resolve("server.properties");
        Properties props = options.serverProperties();
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "written by dev.shopstream.broker.KafkaBroker");
        }
        formatStorageOnce(options, configFile);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        server.startup();
        createTopics(options);
        System.out.println(READY_LINE + " " + options.bootstrapServers());
        System.out.flush();

        if (options.exitWithParent()) {
            exitWhenStandardInputCloses();
        }
        stopped.await();
    }

    /** KRaft needs each log dir formatted with a cluster id once; a restart keeps the data. */
    private static void formatStorageOnce(BrokerOptions options, Path configFile) {
        if (Files.exists(options.logDir().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // StorageTool.main() calls System.exit, execute() returns the exit code.
        int code = StorageTool.execute(new String[] {"format", "--cluster-id", options.clusterId(),
                "--config", configFile.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void createTopics(BrokerOptions options) throws InterruptedException, ExecutionException {
        if (options.topics().isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            options.topics().forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) options.replicationFactor())
                            .configs(Map.of("min.insync.replicas", String.valueOf(options.minInsyncReplicas()))));
                }
            });
            if (!missing.isEmpty()) {
                awaitBrokers(admin, options.replicationFactor());
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** A topic with replication factor N can only be created once N brokers have registered. */
    private static void awaitBrokers(Admin admin, int count) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (admin.describeCluster().nodes().get().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Fewer than " + count + " brokers registered within 120 s: cannot create the topics");
            }
            Thread.sleep(200);
        }
    }

    private static void exitWhenStandardInputCloses() {
        Thread watchdog = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // The parent writes nothing; end of stream means it has gone.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end of stream.
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Command line: {@code --port 9092 --controller-port 9093 --data-dir DIR --topic user_events:3 --exit-with-parent
     * [--listen 127.0.0.1] [--advertised-host localhost]}; for
     * one node of a cluster also {@code --node-id 2 --voters 1@localhost:9093,2@localhost:9095,3@localhost:9097
     * --replication-factor 3 --min-insync-replicas 2}.
     */
    record BrokerOptions(int port, int controllerPort, Path dataDir, Map<String, Integer> topics, boolean exitWithParent,
                         String listenHost, String advertisedHost, int nodeId, String voters, int replicationFactor, int minInsyncReplicas) {

        static BrokerOptions parse(String[] args) {
            int port = 9092;
            int controllerPort = 9093;
            Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "shopstream-kafka");
            Map<String, Integer> topics = new java.util.LinkedHashMap<>();
            boolean exitWithParent = false;
            // Loopback unless told otherwise: PLAINTEXT, no authentication, anyone who reaches it can write events.
            String listenHost = "127.0.0.1";
            String advertisedHost = "localhost";
            int nodeId = 1;
            String voters = null;
            int replicationFactor = 1;
            int minInsyncReplicas = 1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--node-id" -> nodeId = Integer.parseInt(args[++i]);
                    case "--voters" -> voters = args[++i];
                    case "--replication-factor" -> replicationFactor = Integer.parseInt(args[++i]);
                    case "--min-insync-replicas" -> minInsyncReplicas = Integer.parseInt(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
                    case "--data-dir" -> dataDir = Path.of(args[++i]);
                    case "--advertised-host" -> advertisedHost = args[++i];
                    case "--listen" -> listenHost = args[++i];
                    case "--topic" -> {
                        String[] nameAndPartitions = args[++i].split(":");
                        topics.put(nameAndPartitions[0], nameAndPartitions.length > 1 ? Integer.parseInt(nameAndPartitions[1]) : 1);
                    }
                    case "--exit-with-parent" -> exitWithParent = true;
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; expected --port, --controller-port, --data-dir, --listen, --advertised-host, --topic NAME:PARTITIONS, --exit-with-parent, "
                            + "--node-id, --voters, --replication-factor, --min-insync-replicas");
                }
            }
            if (voters == null) {
                voters = nodeId + "@localhost:" + controllerPort; // alone: the quorum is this node
            }
            return new BrokerOptions(port, controllerPort, dataDir.toAbsolutePath(), topics, exitWithParent, listenHost, advertisedHost,
                    nodeId, voters, replicationFactor, minInsyncReplicas);
        }

        /** An IPv6 address in a listener URL goes in brackets. */
        static String hostForUrl(String host) {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }

        Path logDir() {
            return dataDir.resolve("logs");
        }

        String bootstrapServers() {
            return advertisedHost + ":" + port;
        }

        /** A fixed id: the data dir belongs to this one cluster (every node of a local cluster shares it). */
        String clusterId() {
            return "c2hvcHN0cmVhbS1sb2NhbA";
        }

        Properties serverProperties() {
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", String.valueOf(nodeId));
            p.setProperty("controller.quorum.voters", voters);
            // Clients on the listen address (0.0.0.0: every interface); the controller, which only the nodes use, on loopback.
            p.setProperty("listeners", "PLAINTEXT://" + hostForUrl(listenHost) + ":" + port + ",CONTROLLER://localhost:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("log.dirs", logDir().toString());
            // Alone, every internal topic has a single replica; in a cluster as many as the user topics.
            String rf = String.valueOf(replicationFactor);
            String minIsr = String.valueOf(minInsyncReplicas);
            p.setProperty("offsets.topic.replication.factor", rf);
            p.setProperty("offsets.topic.num.partitions", "3");
            p.setProperty("transaction.state.log.replication.factor", rf);
            p.setProperty("transaction.state.log.min.isr", minIsr);
            p.setProperty("share.coordinator.state.topic.replication.factor", rf);
            p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
            p.setProperty("default.replication.factor", rf);
            // acks=all then needs this many replicas in sync: a cluster of 3 with 2 survives one node.
            p.setProperty("min.insync.replicas", minIsr);
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("num.partitions", "3");
            p.setProperty("auto.create.topics.enable", "true");
            return p;
        }

        @Override
        public String toString() {
            return "port=" + port + " data=" + dataDir + " topics=" + topics.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        }
    }
}
