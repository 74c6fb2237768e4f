package dev.shopstream.producer.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the API's failures into JSON answers with the right status, never a stack trace. */
public class ErrorMappers {

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

    public static Response json(Response.Status status, String parameter, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), parameter, message)).build();
    }
}
