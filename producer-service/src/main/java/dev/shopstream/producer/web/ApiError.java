package dev.shopstream.producer.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error answer: what went wrong, and which parameter (when one is to blame). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "error", "parameter", "message"})
public record ApiError(int status, String error, String parameter, String message) {
}
