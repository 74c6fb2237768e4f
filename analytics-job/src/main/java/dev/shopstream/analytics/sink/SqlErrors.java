package dev.shopstream.analytics.sink;

import java.sql.SQLException;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * An error of the database as one short line: its SQLState, the server's message and the table, column or
 * constraint it names, never the statement or the values. A failed multi-row INSERT's exception text holds the
 * whole statement with every value (megabytes for a large batch, payloads included); logs and the exceptions the
 * job lets Spark report carry this line instead.
 */
public final class SqlErrors {

    private static final int MAX_MESSAGE = 300;

    private SqlErrors() {
    }

    public static String describe(SQLException error) {
        PSQLException server = serverError(error);
        if (server != null && server.getServerErrorMessage() != null) {
            ServerErrorMessage message = server.getServerErrorMessage();
            StringBuilder line = new StringBuilder(state(server)).append(' ').append(shortened(message.getMessage()));
            appendIf(line, "table", message.getTable());
            appendIf(line, "column", message.getColumn());
            appendIf(line, "constraint", message.getConstraint());
            return line.toString();
        }
        // No server message (a connection that failed, a driver-side error): its own text, which holds no rows.
        SQLException first = server != null ? server : error;
        return state(first) + ' ' + shortened(first.getClass().getSimpleName() + ": " + firstLine(first.getMessage()));
    }

    /** The same error, as an exception that carries the short line and the SQLState only (no cause, no statement). */
    public static SQLException withoutData(String context, SQLException error) {
        return new SQLException(context + ": " + describe(error), sqlState(error));
    }

    /** The SQLState of the error or of the first chained error that has one. */
    public static String sqlState(SQLException error) {
        for (Throwable cause = error; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static PSQLException serverError(SQLException error) {
        for (Throwable cause = error; cause != null; cause = next(cause)) {
            if (cause instanceof PSQLException psql) {
                return psql;
            }
        }
        return null;
    }

    /** A JDBC batch's failure chains the statement's own error as its next exception, not as its cause. */
    private static Throwable next(Throwable cause) {
        if (cause instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != cause) {
            return sql.getNextException();
        }
        return cause.getCause() == cause ? null : cause.getCause();
    }

    private static String state(SQLException error) {
        String state = sqlState(error);
        return state == null ? "-----" : state;
    }

    private static void appendIf(StringBuilder line, String name, String value) {
        if (value != null && !value.isEmpty()) {
            line.append(", ").append(name).append(' ').append(shortened(value));
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static String shortened(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }
}
