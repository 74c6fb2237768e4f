package dev.shopstream.analytics.sink;

import java.sql.SQLException;
import java.time.Duration;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;
import dev.failsafe.function.CheckedSupplier;
import dev.shopstream.schema.SqlStates;

/**
 * The job's one policy for brief database outages: a lost connection, a serialization failure or deadlock, a
 * server short of resources or restarting is tried again with the same work, after 1, 2, 4 and 8 seconds; any
 * other error, or the fifth failure in a row, goes to the caller as an error without data
 * ({@link SqlErrors#withoutData}).
 */
public final class DatabaseRetry {

    private static final Logger LOG = LogManager.getLogger(DatabaseRetry.class);
    static final int MAX_ATTEMPTS = 5;

    private DatabaseRetry() {
    }

    /** Worth another try: a transient SQLState class ({@link SqlStates}). */
    public static boolean isTransient(Throwable error) {
        if (!(error instanceof SQLException sql)) {
            return false;
        }
        String state = SqlErrors.sqlState(sql);
        return SqlStates.isTransient(state);
    }

    public static void run(String what, CheckedRunnable work) throws SQLException {
        get(what, () -> {
            work.run();
            return null;
        });
    }

    public static <T> T get(String what, CheckedSupplier<T> work) throws SQLException {
        RetryPolicy<T> policy = RetryPolicy.<T>builder()
                .handleIf((Throwable failure) -> isTransient(failure))
                .withMaxAttempts(MAX_ATTEMPTS)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .onRetryScheduled(event -> LOG.warn("{} failed ({}); retry {} of {} in {} ms", what,
                        SqlErrors.describe((SQLException) event.getLastException()), event.getAttemptCount(), MAX_ATTEMPTS - 1,
                        event.getDelay().toMillis()))
                .build();
        try {
            return Failsafe.with(policy).get(work);
        } catch (FailsafeException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw SqlErrors.withoutData(what + " failed", sql);
            }
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new SQLException(what + " was interrupted", "57014");
            }
            throw new IllegalStateException(what + " failed: " + cause, null);
        }
    }
}
