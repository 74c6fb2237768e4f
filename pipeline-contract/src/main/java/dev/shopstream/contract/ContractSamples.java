package dev.shopstream.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The contract's sample records ({@code contract/samples.json} on the classpath): valid events and one record
 * per reject reason with the reason expected. Every side checks itself against them: the plain-Java rules
 * here, the job's Spark parser in its tests.
 */
public final class ContractSamples {

    /** A record's value and the verdict it must get: null for a valid event, else the reject reason. */
    public record Sample(String name, String payload, String expectedReason) {
    }

    public static final String RESOURCE = "contract/samples.json";
    /** The JSON Schema of a valid event (what a schema can say of the rules; the samples hold the rest). */
    public static final String SCHEMA_RESOURCE = "contract/user-event.schema.json";

    private ContractSamples() {
    }

    public static List<Sample> all() {
        try (InputStream in = ContractSamples.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(in)) {
                samples.add(new Sample(node.get("name").asText(), node.get("payload").asText(),
                        node.get("reason").isNull() ? null : node.get("reason").asText()));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
