package dev.shopstream.testsupport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the local stack's servers accept connections: the service's HTTP port, the Kafka brokers, the embedded
 * PostgreSQL and the Spark web UIs. Loopback unless {@code --listen} names another address: Kafka speaks PLAINTEXT
 * without authentication and PostgreSQL has the local defaults' credentials, so anyone who reaches a port can write.
 * Internal ports (Kafka's controllers, Spark's RPC) stay on loopback whatever it says.
 */
public record Listen(String address) {

    public static final Listen LOOPBACK = new Listen("127.0.0.1");

    public Listen {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("--listen takes an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    /** Only this machine can connect: 127.0.0.0/8, ::1 or localhost. */
    public boolean loopback() {
        return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
    }

    /** Every interface of this machine. */
    public boolean everyInterface() {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
    }

    /**
     * The host name clients are told to connect to (Kafka's advertised listener): localhost on loopback; this
     * machine's name when listening on every interface; else the address itself.
     */
    public String advertisedHost() {
        if (loopback()) {
            return "localhost";
        }
        if (everyInterface()) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new IllegalStateException("--listen=" + address + ": this machine's name does not resolve (" + e.getMessage()
                        + "); give --listen this machine's address instead", e);
            }
        }
        return address;
    }

    /** PostgreSQL's listen_addresses for it: localhost (its IPv4 and IPv6 loopback) on loopback, '*' for every interface. */
    String postgresListenAddresses() {
        return loopback() ? "localhost" : everyInterface() ? "*" : address;
    }

    /** Where this machine's own clients connect to reach it (every interface includes loopback). */
    public String connectHost() {
        if (everyInterface() || address.equals("localhost")) {
            return "127.0.0.1";
        }
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** As Quarkus's quarkus.http.host and Spark's SPARK_LOCAL_IP take it. */
    String bindAddress() {
        return address.equals("*") ? "0.0.0.0" : address;
    }
}
