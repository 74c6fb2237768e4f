package dev.shopstream.producer.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of every error answer: what went wrong, and which parameter (when one is to blame). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"status", "error", "message"})
@JsonPropertyOrder({"status", "error", "parameter", "message"})
@RegisterForReflection
public record ApiError(int status, String error,
                       @Schema(description = "The parameter to blame as the request spells it (body: the body as a whole); absent when none is")
                       String parameter,
                       String message) {
}
