package dev.shopstream.producer.generator;

import dev.shopstream.producer.web.InvalidParameterException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The generator's control panel: its rate and counters (open to all), and the rate changed while it runs (a control operation). */
@Path("/producer")
@Produces(MediaType.APPLICATION_JSON)
public class ProducerResource {

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
    @ControlOperation
    public ProducerStatus changeRate(RateChange body) {
        if (body == null) {
            throw new InvalidParameterException("body", "The body must be a JSON object such as {\"" + RateChange.FIELD + "\": 100}");
        }
        if (body.eventsPerSecond() == null) {
            throw new InvalidParameterException(RateChange.FIELD, "Missing field " + RateChange.FIELD + ", e.g. {\"" + RateChange.FIELD + "\": 100}");
        }
        try {
            emitter.changeRate(body.eventsPerSecond());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(RateChange.FIELD, e.getMessage());
        }
        return emitter.status();
    }
}
