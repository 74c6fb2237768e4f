package dev.shopstream.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.EmbeddedPostgresServer;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.Listen;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;
import dev.shopstream.testsupport.SparkStandaloneCluster;

/**
 * What the local stack's processes listen on, read from the kernel's socket tables: started by the launchers
 * ./run-local.sh uses, the broker, the embedded PostgreSQL, the service, the job (its Spark UI on) and the Spark
 * standalone master and workers listen on loopback only; with another {@link Listen} (./run-local.sh --listen=...),
 * the ports people connect to move there.
 */
class LocalStackListenersIT {

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();

    @Test
    void shouldListenOnlyOnLoopbackByDefault(@TempDir Path tmp) throws Exception {
        Map<String, List<InetSocketAddress>> listening = new LinkedHashMap<>();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(EventContract.TOPIC, 3), System.out);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startThrowaway()) {
            listening.put("kafka broker", ListeningSockets.of(broker.pid()));
            listening.put("embedded PostgreSQL", ListeningSockets.of(postmasterPid(postgres)));

            PostgresDatabase db = PostgresDatabase.forTests("listeners_it").recreateWithSchema();
            ManagedProcess service = ProducerServiceProcess.startAndAwaitReady(LAYOUT, ProducerServiceProcess.settings(broker.bootstrapServers(), db),
                    KafkaBrokerProcess.freePort(), List.of("-Xmx256m"), System.out, true);
            try (service) {
                listening.put("producer service", ListeningSockets.of(service.pid()));
            }
            Map<String, String> jobSettings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, tmp.resolve("checkpoints"));
            jobSettings.putAll(Map.of("SPARK_MASTER", "local[2]", "AUDIT_INTERVAL", "0s"));
            ManagedProcess job = AnalyticsJobProcess.startAndAwaitReady(LAYOUT, jobSettings,
                    List.of("-Xmx768m", "-Dspark.ui.port=" + KafkaBrokerProcess.freePort()), Files.createDirectories(tmp.resolve("job-tmp")), System.out, true);
            try (job) {
                listening.put("analytics job (Spark UI on)", ListeningSockets.of(job.pid()));
            }
        }
        try (SparkStandaloneCluster spark = SparkStandaloneCluster.startOnFreePorts(tmp.resolve("spark"), System.out, true)) {
            listening.put("Spark master and workers", sparkDaemonSockets(spark));
        }

        assertThat(listening).allSatisfy((process, sockets) -> assertThat(sockets).as(process).isNotEmpty()
                .allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress()).as("%s listens on %s", process, socket).isTrue()));
    }

    @Test
    void shouldListenWhereTheListenOptionSays(@TempDir Path tmp) throws Exception {
        Listen everywhere = new Listen("0.0.0.0");
        int kafkaPort = KafkaBrokerProcess.freePort();
        int controllerPort = KafkaBrokerProcess.freePort();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(LAYOUT, everywhere, kafkaPort, controllerPort, tmp.resolve("kafka"),
                Map.of(EventContract.TOPIC, 3), System.out, true);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startPersistent(tmp.resolve("postgres"), KafkaBrokerProcess.freePort(), everywhere)) {
            assertThat(ListeningSockets.of(broker.pid())).as("the broker: clients everywhere, its controller on loopback")
                    .anySatisfy(socket -> assertWildcard(socket, kafkaPort))
                    .anySatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress() && socket.getPort() == controllerPort).isTrue());
            assertThat(ListeningSockets.of(postmasterPid(postgres))).as("the embedded PostgreSQL")
                    .anySatisfy(socket -> assertWildcard(socket, postgres.port()));

            int httpPort = KafkaBrokerProcess.freePort();
            PostgresDatabase db = PostgresDatabase.forTests("listeners_it").recreateWithSchema();
            try (ManagedProcess service = ProducerServiceProcess.startAndAwaitReady(LAYOUT, everywhere,
                    ProducerServiceProcess.settings(broker.bootstrapServers(), db), httpPort, List.of("-Xmx256m"), System.out, true)) {
                assertThat(ListeningSockets.of(service.pid())).as("the service").anySatisfy(socket -> assertWildcard(socket, httpPort));
            }
        }
    }

    private static void assertWildcard(InetSocketAddress socket, int port) {
        assertThat(socket.getPort()).isEqualTo(port);
        assertThat(socket.getAddress().isAnyLocalAddress()).as("%s is every interface", socket).isTrue();
    }

    /** PostgreSQL's postmaster: the first line of postmaster.pid in its data directory. */
    private static long postmasterPid(EmbeddedPostgresServer postgres) throws Exception {
        return Long.parseLong(Files.readAllLines(postgres.dataDir().resolve("postmaster.pid")).get(0).trim());
    }

    /** The master's and the workers' JVMs: this JVM's children running Spark's Master or Worker main class. */
    private static List<InetSocketAddress> sparkDaemonSockets(SparkStandaloneCluster spark) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(spark.sparkHome().toString())
                        && p.info().commandLine().orElse("").matches(".*org\\.apache\\.spark\\.deploy\\.(master\\.Master|worker\\.Worker).*"))
                .flatMap(p -> ListeningSockets.of(p.pid()).stream()).toList();
    }
}
