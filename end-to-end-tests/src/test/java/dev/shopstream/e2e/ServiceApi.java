package dev.shopstream.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The producer service's HTTP API as the tests use it: JSON with exact decimals, a 200 or a failed assertion. */
final class ServiceApi {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;

    ServiceApi(int port) {
        this.base = "http://localhost:" + port;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    void put(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT " + path + ": " + response.body()).isEqualTo(200);
    }

    void setRate(int eventsPerSecond) throws IOException, InterruptedException {
        put("/producer/rate", "{\"events_per_second\": " + eventsPerSecond + "}");
    }

    /** Once paused: waits until events_sent stops moving (the last acks are in) and returns it. */
    long awaitSettled(Duration timeout) {
        long[] last = {-1};
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = get("/producer").get("events_sent").asLong();
            boolean stable = now == last[0];
            last[0] = now;
            return stable;
        });
        return last[0];
    }
}
