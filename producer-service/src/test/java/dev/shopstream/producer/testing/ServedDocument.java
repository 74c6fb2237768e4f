package dev.shopstream.producer.testing;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import static io.restassured.RestAssured.given;

/**
 * The OpenAPI document the running service serves at /q/openapi, as a judge of its answers: an answer is one the
 * document describes when the operation documents its status and the body is valid by that response's schema
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12; networknt's validator, with formats asserted).
 * <p>
 * The schemas are closed for the judging ({@code unevaluatedProperties: false} on every object): a property the
 * document does not name, such as a misspelt or camelCase one, is drift, although a client may well ignore it.
 */
public final class ServedDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final JsonNode document;
    private final JsonNode closedComponents;

    public ServedDocument(String json) {
        this.document = read(json);
        this.closedComponents = close(document.get("components").deepCopy());
    }

    /** The document as the running service serves it. */
    public static ServedDocument fetch() {
        return new ServedDocument(given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    /** The document itself, its numbers read as decimals. */
    public JsonNode json() {
        return document;
    }

    /** Every answer the document describes, as "METHOD /path status". */
    public Set<String> answers() {
        Set<String> answers = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operation.getValue().get("responses").fieldNames().forEachRemaining(status ->
                        answers.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + status));
            }
        }
        return answers;
    }

    /**
     * What is wrong with an answer by the document; empty when it is one the document describes.
     *
     * @param template the operation's path as the document names it, such as /metrics/top-products
     */
    public List<String> problems(String method, String template, int status, String contentType, String body) {
        JsonNode response = document.path("paths").path(template).path(method.toLowerCase()).path("responses").path(String.valueOf(status));
        if (response.isMissingNode()) {
            return List.of(method + " " + template + " documents no " + status + " answer");
        }
        if (response.has("$ref")) {
            response = document.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return body.isEmpty() ? List.of() : List.of("the document gives the " + status + " answer no body, got: " + body);
        }
        List<String> problems = new ArrayList<>();
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("the document gives the " + status + " answer a JSON body, got Content-Type " + contentType);
        }
        ObjectNode judged = schema.deepCopy();
        judged.set("components", closedComponents); // where the schema's #/components/schemas/... references point
        for (Error error : SCHEMAS.getSchema(judged).validate(read(body))) {
            problems.add(error.toString());
        }
        return problems;
    }

    /** Every object schema in the tree, closed to properties it does not name. */
    private static JsonNode close(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("properties") && !object.has("additionalProperties")) {
            object.put("unevaluatedProperties", false);
        }
        node.forEach(ServedDocument::close);
        return node;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
