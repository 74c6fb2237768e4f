package dev.shopstream.producer.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
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

    /**
     * A query parameter out of its Bean Validation constraint: a 400 naming it as the client spells it (its
     * {@code @QueryParam}, which QueryParameterNames puts in the violation's path), with the constraint's message and,
     * for a number, the value refused.
     */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> violation = e.getConstraintViolations().stream()
                .min(java.util.Comparator.comparing(v -> v.getPropertyPath().toString())).orElse(null);
        if (violation == null) {
            return json(Response.Status.BAD_REQUEST, null, e.getMessage());
        }
        String name = parameterName(violation);
        Object value = violation.getInvalidValue();
        String got = value instanceof Number ? ", got " + value : "";
        return json(Response.Status.BAD_REQUEST, name, name + " " + violation.getMessage() + got);
    }

    /** Well-formed JSON of the wrong shape ([], 5, a string): Quarkus's own mapper for it answers with no body. */
    @ServerExceptionMapper
    public Response wrongShapeOfBody(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidParameterException invalid) { // a field our own deserializer refused
                return invalidParameter(invalid);
            }
        }
        return json(Response.Status.BAD_REQUEST, "body", "The request body is not valid JSON: "
                + InvalidParameterException.shown(String.valueOf(e.getOriginalMessage())));
    }

    /**
     * Bytes Jackson cannot even decode as text: it guesses the encoding from the first bytes (JSON may be
     * UTF-8, UTF-16 or UTF-32), and some, such as 00 00 01 00, name an encoding it does not support. The body's
     * fault, so a 400 naming it (ApiFuzzTest found the 500 this was).
     */
    @ServerExceptionMapper
    public Response undecodableBody(java.io.CharConversionException e) {
        return json(Response.Status.BAD_REQUEST, "body", "The request body is not valid JSON: "
                + InvalidParameterException.shown(String.valueOf(e.getMessage())));
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
    public Response databaseUnavailable(DatabaseUnavailableException e) {
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

    /** The violated parameter's name as the request spells it: the last node of the violation's path (QueryParameterNames). */
    static String parameterName(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return name;
    }
}
