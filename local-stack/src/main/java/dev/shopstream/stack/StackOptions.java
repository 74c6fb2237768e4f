package dev.shopstream.stack;

import dev.shopstream.testsupport.Listen;
import dev.shopstream.testsupport.PostgresDatabase;

import java.util.Optional;

/** The local stack's command line; PostgreSQL comes from the same environment variables the service reads. */
record StackOptions(int kafkaPort, int httpPort, String rate, Optional<String> seed, boolean withJob, boolean fresh,
                    boolean cluster, int sparkPort, int sparkUiPort, PostgresDatabase postgres, PostgresMode postgresMode, Listen listen) {

    /** Which PostgreSQL server the stack uses. */
    enum PostgresMode {
        /** The configured server when something listens there; else, at the local default address, an embedded one. */
        AUTO,
        /** Always start the embedded server (on the configured port), data in .local-stack/postgres. */
        EMBEDDED,
        /** Always the configured server; an error when it does not answer. */
        EXTERNAL
    }

    /**
     * {@code ./run-local.sh --help}: a file of its own, so that the script prints it without building anything
     * (the script reads it from the source tree, the launcher from its classpath).
     */
    static final String USAGE = usage();


    static StackOptions parse(String[] args) {
        int kafkaPort = 9092;
        int httpPort = 8080;
        String rate = "50";
        Optional<String> seed = Optional.empty();
        boolean withJob = true;
        boolean fresh = false;
        PostgresMode postgresMode = PostgresMode.AUTO;
        boolean cluster = false;
        int sparkPort = 7077;
        int sparkUiPort = 18080;
        Listen listen = Listen.LOOPBACK;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--postgres=")) {
                postgresMode = postgresMode(arg.substring("--postgres=".length()));
                continue;
            }
            if (arg.startsWith("--listen=")) {
                listen = new Listen(arg.substring("--listen=".length()));
                continue;
            }
            switch (arg) {
                case "--rate" -> rate = String.valueOf(number(arg, value(args, ++i)));
                case "--seed" -> seed = Optional.of(String.valueOf((long) number(arg, value(args, ++i))));
                case "--kafka-port" -> kafkaPort = (int) number(arg, value(args, ++i));
                case "--http-port" -> httpPort = (int) number(arg, value(args, ++i));
                case "--no-job" -> withJob = false;
                case "--fresh" -> fresh = true;
                case "--postgres" -> postgresMode = postgresMode(value(args, ++i));
                case "--cluster" -> cluster = true;
                case "--spark-port" -> sparkPort = (int) number(arg, value(args, ++i));
                case "--spark-ui-port" -> sparkUiPort = (int) number(arg, value(args, ++i));
                case "--listen" -> listen = new Listen(value(args, ++i));
                default -> throw new IllegalArgumentException("Unknown option: " + arg);
            }
        }
        PostgresDatabase postgres = new PostgresDatabase(env("POSTGRES_HOST", "localhost"), Integer.parseInt(env("POSTGRES_PORT", "5432")),
                env("POSTGRES_DB", "analytics"), env("POSTGRES_USER", "postgres"), env("POSTGRES_PASSWORD", "postgres"));
        return new StackOptions(kafkaPort, httpPort, rate, seed, withJob, fresh, cluster, sparkPort, sparkUiPort, postgres, postgresMode, listen);
    }

    private static String usage() {
        try (var in = StackOptions.class.getResourceAsStream("run-local-usage.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("run-local-usage.txt is missing from the local stack's classes", e);
        }
    }

    private static PostgresMode postgresMode(String value) {
        return switch (value) {
            case "embedded" -> PostgresMode.EMBEDDED;
            case "external" -> PostgresMode.EXTERNAL;
            default -> throw new IllegalArgumentException("--postgres takes embedded or external, got '" + value + "'");
        };
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + value + "'");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
