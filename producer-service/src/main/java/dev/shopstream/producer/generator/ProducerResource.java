package dev.shopstream.producer.generator;

import dev.shopstream.producer.pipeline.ProducerStatus;
import dev.shopstream.producer.web.ApiDocument;
import dev.shopstream.producer.web.InvalidParameterException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The generator's control panel: its rate and counters (open to all), and the rate changed while it runs (a control operation). */
@Path("/producer")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocument.PRODUCER)
public class ProducerResource {

    private final TrafficEmitter emitter;

    public ProducerResource(TrafficEmitter emitter) {
        this.emitter = emitter;
    }

    @GET
    @Operation(operationId = "getProducerStatus", summary = "The generator's rate, its limit and its counters since the service started")
    @SecurityRequirements // none: open to all (security: [])
    @APIResponse(responseCode = "200", description = "The generator's status")
    public ProducerStatus status() {
        return emitter.status();
    }

    /** Body {@code {"events_per_second": N}}; N from 0 (paused) to producer.max-rate, fractions allowed. */
    @PUT
    @Path("/rate")
    @Consumes(MediaType.APPLICATION_JSON)
    @ControlOperation
    @Operation(operationId = "changeProducerRate", summary = "Changes the generator's rate at once; 0 pauses it. Answers the new status")
    @SecurityRequirement(name = ApiDocument.CONTROL_TOKEN)
    @APIResponse(responseCode = "200", description = "The rate is changed: the generator's status with it")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "413", description = "The body is larger than 16 KiB (quarkus.http.limits.max-body-size); it is not read")
    public ProducerStatus changeRate(@RequestBody(required = true) RateChange body) {
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
