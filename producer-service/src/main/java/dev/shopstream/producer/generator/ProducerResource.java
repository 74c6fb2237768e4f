package dev.shopstream.producer.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.producer.web.InvalidParameterException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The generator's control panel: its rate and counters, and the rate changed while it runs. */
@Path("/producer")
@Produces(MediaType.APPLICATION_JSON)
public class ProducerResource {

    static final String RATE_FIELD = "events_per_second";

    private final TrafficEmitter emitter;

    public ProducerResource(TrafficEmitter emitter) {
        this.emitter = emitter;
    }

    @GET
    public ProducerStatus status() {
        return emitter.status();
    }

    /** Body {@code {"events_per_second": N}}; N from 0 (paused) to producer.max-rate, fractions allowed. */
    @PUT
    @Path("/rate")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProducerStatus changeRate(JsonNode body) {
        double rate = readRate(body);
        try {
            emitter.changeRate(rate);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(RATE_FIELD, e.getMessage());
        }
        return emitter.status();
    }

    private static double readRate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidParameterException("body", "The body must be a JSON object such as {\"" + RATE_FIELD + "\": 100}");
        }
        JsonNode value = body.get(RATE_FIELD);
        if (value == null) {
            throw new InvalidParameterException(RATE_FIELD, "Missing field " + RATE_FIELD + ", e.g. {\"" + RATE_FIELD + "\": 100}");
        }
        if (!value.isNumber()) {
            throw new InvalidParameterException(RATE_FIELD, RATE_FIELD + " must be a number, got " + value);
        }
        double rate = value.doubleValue();
        if (!Double.isFinite(rate)) {
            throw new InvalidParameterException(RATE_FIELD, RATE_FIELD + " must be a finite number, got " + value);
        }
        return rate;
    }
}
