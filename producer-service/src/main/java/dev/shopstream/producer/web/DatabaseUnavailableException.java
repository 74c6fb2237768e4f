package dev.shopstream.producer.web;

/**
 * The analytics database could not answer: down, refusing connections, timing out, or without the schema.
 * Answered with 503; the next request tries again, as the pool reconnects by itself.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
