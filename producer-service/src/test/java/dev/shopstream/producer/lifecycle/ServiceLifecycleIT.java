package dev.shopstream.producer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * The packaged service as an operator starts and stops it (java -jar quarkus-run.jar, settings in environment
 * variables): a blank control token refuses the start, the start says whether PUT /producer/rate is protected, and
 * SIGTERM ends it within {@link StopWatchdog#BOUND} even while events wait for a broker that has gone.
 */
class ServiceLifecycleIT {

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    /** Nothing listens there: the service starts without a broker (its sends wait), and never meets a real one. */
    private static final String NO_BROKER = "localhost:" + KafkaBrokerProcess.freePort();

    @Test
    void shouldRefuseToStartWithABlankControlToken() throws Exception {
        for (String blank : new String[] {"   ", ""}) {
            Map<String, String> env = settings(NO_BROKER);
            env.put("PRODUCER_CONTROL_TOKEN", blank);
            ManagedProcess service = ManagedProcess.startJava("service", List.of("-Xmx256m", "-jar", LAYOUT.serviceJar().toString()),
                    env, LAYOUT.root(), System.out, false);
            try {
                service.onExit().get(2, TimeUnit.MINUTES);
                assertThat(service.exitCode()).as("exit status").isNotZero();
                assertThat(service.recentOutput()).contains("producer.control-token (PRODUCER_CONTROL_TOKEN) is set but blank");
            } finally {
                service.killHard();
            }
        }
    }

    @Test
    void shouldSayOnceAtStartThatTheRateIsProtectedWhenATokenIsSet() {
        Map<String, String> env = settings(NO_BROKER);
        env.put("PRODUCER_CONTROL_TOKEN", "lifecycle-it-token");
        ManagedProcess service = start(env);
        try {
            assertThat(service.recentOutput().lines().filter(l -> l.contains("PUT /producer/rate is"))).singleElement()
                    .asString().contains("PUT /producer/rate is protected");
        } finally {
            service.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldSayOnceAtStartThatTheRateIsOpenWithoutAToken() {
        ManagedProcess service = start(settings(NO_BROKER));
        try {
            assertThat(service.recentOutput().lines().filter(l -> l.contains("PUT /producer/rate is"))).singleElement()
                    .asString().contains("PUT /producer/rate is open");
        } finally {
            service.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldStopWithinTheBoundOnSigtermWhileEventsWaitForABrokerThatHasGone(@TempDir Path tmp) throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(EventContract.TOPIC, 3), System.out)) {
            Map<String, String> env = settings(broker.bootstrapServers());
            env.put("PRODUCER_RATE", "2000");
            ManagedProcess service = start(env);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> eventsSent(env) > 0);
                broker.killHard();
                Thread.sleep(2_000); // the generator keeps sending: thousands of events wait for the broker

                long signalled = System.nanoTime();
                ProcessHandle.of(service.pid()).orElseThrow().destroy();
                service.onExit().get(StopWatchdog.BOUND.toSeconds() + 5, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(StopWatchdog.BOUND);
                assertThat(service.recentOutput()).doesNotContain("halting");
            } finally {
                service.killHard();
            }
        }
    }

    /** The service on a free port, once it answers; the port is in its environment (QUARKUS_HTTP_PORT). */
    private static ManagedProcess start(Map<String, String> env) {
        int port = KafkaBrokerProcess.freePort();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return ProducerServiceProcess.startAndAwaitReady(LAYOUT, env, port, List.of("-Xmx256m"), System.out, false);
    }

    private static long eventsSent(Map<String, String> env) throws Exception {
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + env.get("QUARKUS_HTTP_PORT") + "/producer")).build(), HttpResponse.BodyHandlers.ofString());
        String body = status.body();
        int at = body.indexOf("\"events_sent\":") + "\"events_sent\":".length();
        return Long.parseLong(body.substring(at, body.indexOf(',', at)).trim());
    }

    /** No database is needed for what these tests ask: the service starts without one (its reads would be 503s). */
    private static Map<String, String> settings(String bootstrapServers) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "POSTGRES_PORT", String.valueOf(KafkaBrokerProcess.freePort()),
                "PRODUCER_RATE", "0",
                "RETENTION_INTERVAL", "off"));
        return env;
    }
}
