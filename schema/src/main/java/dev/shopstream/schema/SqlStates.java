package dev.shopstream.schema;

import java.util.List;

/**
 * Which database errors are worth another try, by their SQLState: the one rule the job's writes, its progress rows
 * and the migrations all retry by.
 */
public final class SqlStates {

    /**
     * The SQLState classes of a transient failure: the connection went (08), the transaction lost a race (40:
     * serialization failure, deadlock), the server is short of resources (53) or shutting down or starting (57P).
     */
    public static final List<String> TRANSIENT_CLASSES = List.of("08", "40", "53", "57P");

    private SqlStates() {
    }

    /** Whether an error of this SQLState may succeed if tried again (false for null: a driver-side error). */
    public static boolean isTransient(String sqlState) {
        return sqlState != null && TRANSIENT_CLASSES.stream().anyMatch(sqlState::startsWith);
    }
}
