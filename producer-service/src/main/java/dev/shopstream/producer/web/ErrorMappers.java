package dev.shopstream.producer.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the API's failures into JSON answers with the right status, never a stack trace. */
public class ErrorMappers {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return json(Response.Status.BAD_REQUEST, e.parameter(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        return json(Response.Status.BAD_REQUEST, "body", "The request body is not valid JSON: " + e.getOriginalMessage());
    }

    /** Framework errors keep their status but speak JSON; a body Jackson could not read names the body. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.INTERNAL_SERVER_ERROR;
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableBody(unreadable);
        }
        return json(status, null, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, null, "No such resource; see /q/openapi for the API");
    }

    @ServerExceptionMapper
    public Response databaseUnavailable(dev.shopstream.producer.metrics.DatabaseUnavailableException e) {
        LOG.warn(e.getMessage());
        return json(Response.Status.SERVICE_UNAVAILABLE, null, e.getMessage() + " (retry shortly; see /q/health/ready)");
    }

    /** Anything else: a 500 that says so, the details in the log, never a stack trace on the wire. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return json(Response.Status.INTERNAL_SERVER_ERROR, null, "Unexpected error: " + e.getClass().getSimpleName());
    }

    public static Response json(Response.Status status, String parameter, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), parameter, message)).build();
    }
}
