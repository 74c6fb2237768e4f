package dev.shopstream.e2e.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.shopstream.testsupport.ProjectLayout;

/**
 * What the code says the deployment must be, read from the code itself: the settings the job reads (its
 * {@code Setting} enum, from its built classes), the variables its image's entry point reads, the configuration
 * the service reads (application.properties and its {@code @ConfigMapping} interfaces, from its built classes), and
 * the port and paths the service and the job serve.
 */
public final class CodeFacts {

    private static final Pattern DOCKERFILE_VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");
    private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}");

    private final Path root;

    public CodeFacts(ProjectLayout layout) {
        this.root = layout.root();
    }

    /** The job's settings, as environment variable names (Setting.values(), from analytics-job/target/classes). */
    public Set<String> jobSettings() {
        try (URLClassLoader loader = loader(jobClasses())) {
            Class<?> setting = loader.loadClass("dev.shopstream.analytics.settings.Setting");
            Set<String> names = new TreeSet<>();
            for (Object value : setting.getEnumConstants()) {
                names.add((String) setting.getMethod("envName").invoke(value));
            }
            return names;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot read the job's settings from analytics-job/target/classes (build it first)", e);
        }
    }

    /**
     * The job's Spark metrics configuration with SPARK_PROMETHEUS_METRICS as given (JobSettings.sparkMetricsConf(), from the
     * job's built classes): what its Prometheus servlet serves, and where.
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> jobSparkMetricsConf(String prometheusMetrics) {
        try (URLClassLoader loader = loader(jobClasses())) {
            Class<?> settings = loader.loadClass("dev.shopstream.analytics.settings.JobSettings");
            Object parsed = settings.getMethod("fromArgs", String[].class, Map.class)
                    .invoke(null, new String[0], Map.of("SPARK_PROMETHEUS_METRICS", prometheusMetrics));
            return (Map<String, String>) settings.getMethod("sparkMetricsConf").invoke(parsed);
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot read the job's settings from analytics-job/target/classes (build it first)", e);
        }
    }

    /**
     * Each job setting's default, by environment variable name (Setting.defaultValue(), from the job's built classes).
     */
    public Map<String, String> jobSettingDefaults() {
        try (URLClassLoader loader = loader(jobClasses())) {
            Class<?> setting = loader.loadClass("dev.shopstream.analytics.settings.Setting");
            Map<String, String> defaults = new LinkedHashMap<>();
            for (Object value : setting.getEnumConstants()) {
                defaults.put((String) setting.getMethod("envName").invoke(value), (String) setting.getMethod("defaultValue").invoke(value));
            }
            return defaults;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot read the job's settings from analytics-job/target/classes (build it first)", e);
        }
    }

    /** A duration as the job reads a setting (Durations.parse, from the job's built classes): "2 minutes" equals "2m". */
    public java.time.Duration jobDuration(String text) {
        try (URLClassLoader loader = loader(jobClasses())) {
            return (java.time.Duration) loader.loadClass("dev.shopstream.analytics.settings.Durations").getMethod("parse", String.class)
                    .invoke(null, text);
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot parse '" + text + "' with the job's Durations", e);
        }
    }

    /**
     * The job's built classes and what they refer to: the contract's names, the schema's defaults, and picocli, which
     * parses the settings (on this module's test classpath, at the parent pom's version).
     */
    private List<Path> jobClasses() {
        Path picocliJar;
        try {
            picocliJar = Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return List.of(root.resolve("analytics-job/target/classes"), root.resolve("pipeline-contract/target/classes"),
                root.resolve("schema/target/classes"), picocliJar);
    }

    /** The variables the job image's Dockerfile reads (its ENTRYPOINT's and ENV's ${NAME}, and what ENV sets). */
    public Set<String> jobImageVariables() {
        Set<String> names = new TreeSet<>();
        for (String line : lines(root.resolve("analytics-job/src/main/docker/Dockerfile"))) {
            if (line.startsWith("ENTRYPOINT") || line.startsWith("ENV") || line.startsWith("CMD")) {
                Matcher matcher = DOCKERFILE_VARIABLE.matcher(line);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
            if (line.startsWith("ENV ")) {
                names.add(line.substring(4).trim().split("[= ]")[0]);
            }
        }
        return names;
    }

    /** The service's application.properties (the default profile: keys without a %profile prefix). */
    public Properties serviceProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve("producer-service/src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("%")).forEach(properties::remove);
        return properties;
    }

    /**
     * Every environment variable the service reads: each property of application.properties and of its
     * {@code @ConfigMapping} interfaces in SmallRye Config's environment form (PRODUCER_CONTROL_TOKEN for
     * producer.control-token), and each variable application.properties refers to (${POSTGRES_HOST:localhost}).
     */
    public Set<String> serviceVariables() {
        Set<String> names = new TreeSet<>();
        Properties properties = serviceProperties();
        for (String key : properties.stringPropertyNames()) {
            names.add(environmentName(key));
            Matcher matcher = PROPERTY_REFERENCE.matcher(properties.getProperty(key));
            while (matcher.find()) {
                names.add(matcher.group(1));
                names.add(environmentName(matcher.group(1)));
            }
        }
        serviceConfigMappings().forEach(property -> names.add(environmentName(property)));
        return names;
    }

    /** The properties of the service's {@code @ConfigMapping} interfaces: prefix.method-name, from its built classes. */
    public Set<String> serviceConfigMappings() {
        Path classes = root.resolve("producer-service/target/classes");
        List<Path> path = new ArrayList<>(List.of(classes));
        // The annotations' own classes: the packaged application's libraries.
        try (Stream<Path> jars = Files.list(root.resolve("producer-service/target/quarkus-app/lib/main"))) {
            jars.forEach(path::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Build the service first (./mvnw package)", e);
        }
        Set<String> properties = new TreeSet<>();
        try (URLClassLoader loader = loader(path); Stream<Path> files = Files.walk(classes)) {
            @SuppressWarnings("unchecked")
            Class<? extends Annotation> configMapping = (Class<? extends Annotation>) loader.loadClass("io.smallrye.config.ConfigMapping");
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, loader);
                Annotation mapping = type.getAnnotation(configMapping);
                if (mapping != null) {
                    String prefix = (String) configMapping.getMethod("prefix").invoke(mapping);
                    for (Method method : type.getDeclaredMethods()) {
                        if (method.getParameterCount() == 0 && !method.isDefault() && !method.isSynthetic()) {
                            properties.add(prefix + "." + kebab(method.getName()));
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot read the service's @ConfigMapping interfaces from its build", e);
        } catch (LinkageError e) {
            throw new IllegalStateException("A class of the service does not load with its own libraries: " + e, e);
        }
        return properties;
    }

    /** The variables a Java main reads with System.getenv("NAME") (for the schema migrator, which the compose file runs). */
    public Set<String> getenvNames(String sourceFile) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("env\\(\"([A-Z][A-Z0-9_]*)\"").matcher(String.join("\n", lines(root.resolve(sourceFile))));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    public Path root() {
        return root;
    }

    /** SmallRye Config's environment form of a property: upper case, every other character an underscore. */
    static String environmentName(String property) {
        return property.replace("\"", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URLClassLoader loader(List<Path> path) {
        URL[] urls = path.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }).toArray(URL[]::new);
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    /** A map as text, for assertion messages. */
    static String describe(Map<String, ?> map) {
        return new LinkedHashMap<>(map).toString();
    }
}
