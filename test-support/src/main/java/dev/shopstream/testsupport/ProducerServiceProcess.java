package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The producer service's packaged jar (quarkus-run.jar) in a JVM of its own, on loopback unless told otherwise, ready once it answers HTTP. */
public final class ProducerServiceProcess {

    private ProducerServiceProcess() {
    }

    /**
     * @param settings the service's configuration as environment variables (KAFKA_BOOTSTRAP_SERVERS, POSTGRES_HOST,
     *                 PRODUCER_RATE, ...); QUARKUS_HTTP_PORT is set from {@code httpPort}
     */
    public static ManagedProcess startAndAwaitReady(ProjectLayout layout, Map<String, String> settings, int httpPort,
                                                    List<String> jvmArgs, PrintStream echo, boolean quiet) {
        return startAndAwaitReady(layout, Listen.LOOPBACK, settings, httpPort, jvmArgs, echo, quiet);
    }

    /**
     * As {@link #startAndAwaitReady(ProjectLayout, Map, int, List, PrintStream, boolean)}, listening on {@code listen}
     * (QUARKUS_HTTP_HOST): Quarkus's own default in prod mode is every interface.
     */
    public static ManagedProcess startAndAwaitReady(ProjectLayout layout, Listen listen, Map<String, String> settings, int httpPort,
                                                    List<String> jvmArgs, PrintStream echo, boolean quiet) {
        ProjectLayout.requireBuilt(layout.serviceJar());
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("QUARKUS_HTTP_HOST", listen.bindAddress());
        List<String> command = new java.util.ArrayList<>(jvmArgs);
        command.addAll(List.of("-jar", layout.serviceJar().toString()));
        ManagedProcess service = ManagedProcess.startJava("service", command, env, layout.root(), echo, quiet);
        try {
            awaitHttpOk(service, "http://" + listen.connectHost() + ":" + httpPort + "/producer", Duration.ofMinutes(2));
            return service;
        } catch (RuntimeException e) {
            service.killHard();
            throw e;
        }
    }

    /** Polls a URL until it answers 200, failing early when the process exits. */
    public static void awaitHttpOk(ManagedProcess process, String url, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited. Its last output:\n" + process.recentOutput());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + url, e);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + url, e);
            }
        }
        throw new IllegalStateException(process.name() + " did not answer " + url + " within " + timeout);
    }

    /** The service's settings for a broker and a database, as environment variables. */
    public static Map<String, String> settings(String bootstrapServers, PostgresDatabase db) {
        return new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "POSTGRES_HOST", db.host(),
                "POSTGRES_PORT", String.valueOf(db.port()),
                "POSTGRES_DB", db.database(),
                "POSTGRES_USER", db.user(),
                "POSTGRES_PASSWORD", db.password()));
    }
}
