package dev.shopstream.stack;

import java.util.Optional;

/** The local stack's command line; PostgreSQL comes from the same environment variables the service reads. */
record StackOptions(int kafkaPort, int httpPort, String rate, Optional<String> seed, boolean withJob, boolean fresh,
                    boolean cluster, int sparkPort, int sparkUiPort, PostgresDatabase postgres, PostgresMode postgresMode) {

    /** Which PostgreSQL server the stack uses. */
    enum PostgresMode {
        /** The configured server when something listens there; else, at the local default address, an embedded one. */
        AUTO,
        /** Always start the embedded server (on the configured port), data in .local-stack/postgres. */
        EMBEDDED,
        /** Always the configured server; an error when it does not answer. */
        EXTERNAL
    }

    static final String USAGE = """
            Usage: ./run-local.sh [--cluster] [--rate N] [--seed N] [--kafka-port 9092] [--http-port 8080] [--no-job] [--fresh] [--postgres=embedded|external]
              --cluster       three Kafka nodes (replication factor 3) and a Spark standalone master with two workers;
                              the job is submitted with spark-submit. State in .local-stack/cluster/
              --spark-port P  the Spark master's port with --cluster (default 7077)
              --spark-ui-port P  the Spark master's web UI with --cluster (default 18080; the workers' take P+1, P+2)
              --rate N        events per second the producer starts with (default 50; change it later with PUT /producer/rate)
              --seed N        makes the simulated traffic reproducible
              --kafka-port P  the broker's port (the controller takes P+1; with --cluster nodes 2 and 3 take P+2..P+5)
              --http-port P   the producer service's port
              --no-job        leave the Spark job out
              --fresh         forget the broker's data, the job's checkpoints and the tables' rows, and start over
              --postgres=M    embedded: always run the embedded PostgreSQL (data in .local-stack/postgres); external: always
                              the configured server. Default: the configured server if one answers, else (at localhost:5432) the embedded one
            PostgreSQL: POSTGRES_HOST (localhost), POSTGRES_PORT (5432), POSTGRES_DB (analytics), POSTGRES_USER (postgres), POSTGRES_PASSWORD (postgres)""";

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
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--postgres=")) {
                postgresMode = postgresMode(arg.substring("--postgres=".length()));
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
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("Unknown option: " + arg);
            }
        }
        PostgresDatabase postgres = new PostgresDatabase(env("POSTGRES_HOST", "localhost"), Integer.parseInt(env("POSTGRES_PORT", "5432")),
                env("POSTGRES_DB", "analytics"), env("POSTGRES_USER", "postgres"), env("POSTGRES_PASSWORD", "postgres"));
        return new StackOptions(kafkaPort, httpPort, rate, seed, withJob, fresh, cluster, sparkPort, sparkUiPort, postgres, postgresMode);
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
