package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built parts of the pipeline live in a checkout of the project. */
public record ProjectLayout(Path root) {

    /** A file only the project's root has: the first schema migration, which never changes. */
    private static final String MARKER = "sql/V1__create_tables.sql";

    /**
     * The project root: the {@code shopstream.root} system property (set by the build for tests), else the
     * nearest directory upwards from the working directory that holds the first migration, {@value #MARKER}.
     */
    public static ProjectLayout locate() {
        String configured = System.getProperty("shopstream.root");
        if (configured != null && !configured.isBlank()) {
            return new ProjectLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(MARKER))) {
                return new ProjectLayout(dir);
            }
        }
        throw new IllegalStateException("Cannot find the project root (a directory with " + MARKER + ") above "
                + Path.of("").toAbsolutePath() + "; run from the checkout or set -Dshopstream.root");
    }

    public Path brokerClasses() {
        return root.resolve("kafka-broker/target/classes");
    }

    public Path brokerClasspathFile() {
        return root.resolve("kafka-broker/target/broker.classpath");
    }

    public Path serviceJar() {
        return root.resolve("producer-service/target/quarkus-app/quarkus-run.jar");
    }

    public Path jobClasses() {
        return root.resolve("analytics-job/target/classes");
    }

    /** The JVM flags Spark needs, as a java @argfile (the same file the job's tests pass). */
    public Path jobJvmOptions() {
        return root.resolve("analytics-job/src/main/jvm/spark-jvm.options");
    }

    /** The job's logging configuration, as built (Spark's conf/log4j2.properties in the local Spark cluster). */
    public Path jobLogConfig() {
        return jobClasses().resolve("log4j2.properties");
    }

    /** The shaded jar for spark-submit: the job, the Kafka connector and the JDBC driver; Spark is provided. */
    public Path jobSubmitJar() {
        Path target = root.resolve("analytics-job/target");
        try (java.util.stream.Stream<Path> files = Files.exists(target) ? Files.list(target) : java.util.stream.Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().matches("analytics-job-.*-spark-submit\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("analytics-job/target/analytics-job-*-spark-submit.jar is missing: "
                            + "build the project first (./mvnw package -DskipTests)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path jobClasspathFile() {
        return root.resolve("analytics-job/target/job.classpath");
    }

    /** The local stack's embedded PostgreSQL data (when it runs one), inside {@link #stateDir()}. */
    public Path embeddedPostgresData() {
        return stateDir().resolve("postgres");
    }

    /** Working state of the local stack: broker data, checkpoints, logs. Survives restarts. */
    public Path stateDir() {
        return root.resolve(".local-stack");
    }

    /** A classpath made of a classes directory and a classpath file written by maven-dependency-plugin. */
    public static String classpath(Path classes, Path classpathFile) {
        requireBuilt(classes);
        requireBuilt(classpathFile);
        try {
            return classes + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void requireBuilt(Path artifact) {
        if (!Files.exists(artifact)) {
            throw new IllegalStateException(artifact + " is missing: build the project first (./mvnw package -DskipTests)");
        }
    }
}
