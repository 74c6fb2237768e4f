package dev.shopstream.analytics.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import dev.shopstream.analytics.settings.JobSettings;

/** Where the job writes: a PostgreSQL database and the credentials to log in. */
public record JdbcTarget(String url, String user, String password) implements Serializable {

    public static JdbcTarget from(JobSettings settings) {
        return new JdbcTarget(settings.postgresUrl(), settings.postgresUser(), settings.postgresPassword());
    }

    /**
     * A new connection. The driver is called directly rather than through DriverManager, which under
     * spark-submit cannot see a driver that sits in the application jar's class loader.
     * reWriteBatchedInserts turns a JDBC batch of single-row INSERTs into multi-row INSERTs: one round trip
     * per few hundred rows instead of one per row.
     */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", "shopstream-analytics-job");
        props.setProperty("connectTimeout", "10");
        // The server's detail line repeats the refused row's values ("Failing row contains ..."): errors are
        // logged by their SQLState and message (SqlErrors), never with the data.
        props.setProperty("logServerErrorDetail", "false");
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + url + " as " + user + "]";
    }
}
