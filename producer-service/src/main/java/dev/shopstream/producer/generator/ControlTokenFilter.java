package dev.shopstream.producer.generator;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import dev.shopstream.producer.web.ErrorMappers;

/**
 * Refuses a {@link ControlOperation} without the control token with a 401 and the API's JSON error body, before
 * the request body is even read, so an anonymous caller learns nothing but that a token is needed.
 */
@Provider
@ControlOperation
@Priority(Priorities.AUTHENTICATION)
public class ControlTokenFilter implements ContainerRequestFilter {

    private final ControlToken token;

    public ControlTokenFilter(ControlToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!token.allows(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            Response refusal = ErrorMappers.json(Response.Status.UNAUTHORIZED, null,
                    "Changing the producer needs the header 'Authorization: Bearer <token>' with the token set as producer.control-token");
            request.abortWith(Response.fromResponse(refusal).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"shopstream\"").build());
        }
    }
}
