package dev.shopstream.producer.metrics;

/**
 * The analytics database could not answer: down, refusing connections, timing out, or without the schema.
 * Answered with 503; the next request tries again, as the pool reconnects by itself.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Connection failures, refusals, a missing database or schema: unavailable. A statement the server
     * rejects as wrong (SQLSTATE class 42 other than a missing table, 22 data errors) is our bug, and stays a 500.
     */
    static Throwable classify(Throwable failure) {
        if (failure instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            boolean ourBug = (state.startsWith("42") && !state.equals("42P01")) || state.startsWith("22");
            if (ourBug) {
                return failure;
            }
        }
        return from(failure);
    }

    static DatabaseUnavailableException from(Throwable failure) {
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof io.vertx.pgclient.PgException pg && "42P01".equals(pg.getSqlState())) {
            detail = "the schema is missing (" + detail + "); the analytics job and ./run-local.sh apply the migrations of sql/";
        }
        return new DatabaseUnavailableException("The analytics database is unavailable: " + detail, failure);
    }
}
