package dev.shopstream.producer.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where Quarkus serves a WebJar's files: {@code /webjars/NAME/VERSION/...} from the jar's META-INF/resources.
 * The version is read from the jar's own Maven metadata, so it is pinned in one place only: the root pom.
 *
 * <p>Quarkus's own quarkus-web-dependency-locator would serve the same files at a path without the version, and
 * this class and the redirect to it would go. It is not used because it could not be had: the Maven repository this
 * project builds from has no quarkus-web-dependency-locator of the platform's version (3.37.1, the version Quarkus's
 * BOM gives it), and an extension of another Quarkus version does not belong in the build.
 */
final class WebJars {

    private static final ConcurrentMap<String, Optional<String>> VERSIONS = new ConcurrentHashMap<>();

    private WebJars() {
    }

    static Optional<String> path(String name, String file) {
        return version(name).map(version -> "/webjars/" + name + "/" + version + "/" + file);
    }

    static Optional<String> version(String name) {
        return VERSIONS.computeIfAbsent(name, WebJars::readVersion);
    }

    private static Optional<String> readVersion(String name) {
        String resource = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            return Optional.ofNullable(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
