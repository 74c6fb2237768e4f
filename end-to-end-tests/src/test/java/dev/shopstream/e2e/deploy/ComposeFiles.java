package dev.shopstream.e2e.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml, alone or with an override file, as {@code docker compose -f base -f override} merges them
 * (for what these files use: environment and labels merged key by key, ports appended, everything else replaced),
 * with YAML anchors and merge keys resolved.
 */
public final class ComposeFiles {

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?message}}, {@code ${NAME?message}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private ComposeFiles() {
    }

    /** One service of the merged files. */
    public record Service(String name, Map<String, Object> definition) {

        /** Its environment, each value as text, uninterpolated ({@code ${VAR:-default}} as written). */
        public Map<String, String> environment() {
            Object environment = definition.get("environment");
            Map<String, String> values = new LinkedHashMap<>();
            if (environment instanceof Map<?, ?> map) {
                map.forEach((key, value) -> values.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
            } else if (environment instanceof List<?> list) {
                for (Object entry : list) {
                    String text = String.valueOf(entry);
                    int equals = text.indexOf('=');
                    values.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
                }
            }
            return values;
        }

        /** Its published ports as written, e.g. {@code ${PUBLISH_ADDRESS:-127.0.0.1}:${HTTP_HOST_PORT:-8080}:8080}. */
        public List<PublishedPort> ports() {
            List<PublishedPort> ports = new ArrayList<>();
            for (Object port : list("ports")) {
                ports.add(PublishedPort.parse(String.valueOf(port)));
            }
            return ports;
        }

        /** The healthcheck's shell command (CMD-SHELL), as the container's shell gets it ({@code $$} is a {@code $}). */
        public String healthcheckShell() {
            Object healthcheck = definition.get("healthcheck");
            if (!(healthcheck instanceof Map<?, ?> map) || !(map.get("test") instanceof List<?> test) || test.size() != 2
                    || !"CMD-SHELL".equals(test.get(0))) {
                throw new IllegalStateException(name + " has no CMD-SHELL healthcheck");
            }
            return unescapeDollars(String.valueOf(test.get(1)));
        }

        /** Its command (or entrypoint) as one line of text, for what it says about ports and hosts. */
        public String commandLine() {
            StringBuilder line = new StringBuilder();
            for (String key : List.of("entrypoint", "command")) {
                Object value = definition.get(key);
                if (value instanceof List<?> parts) {
                    parts.forEach(part -> line.append(part).append(' '));
                } else if (value != null) {
                    line.append(value).append(' ');
                }
            }
            return line.toString().trim();
        }

        /** Its volumes as {@code source:target[:mode]}, as written. */
        public List<String> volumes() {
            return list("volumes").stream().map(String::valueOf).toList();
        }

        private List<?> list(String key) {
            Object value = definition.get(key);
            return value instanceof List<?> list ? list : List.of();
        }
    }

    /** A {@code host_ip:host_port:container_port} mapping; the parts as written (variables not interpolated). */
    public record PublishedPort(String hostIp, String hostPort, int containerPort) {

        static PublishedPort parse(String text) {
            List<String> parts = splitOutsideVariables(text.replaceFirst("/(tcp|udp)$", ""));
            return switch (parts.size()) {
                case 3 -> new PublishedPort(parts.get(0), parts.get(1), Integer.parseInt(parts.get(2)));
                case 2 -> new PublishedPort("", parts.get(0), Integer.parseInt(parts.get(1)));
                default -> new PublishedPort("", "", Integer.parseInt(parts.get(0)));
            };
        }
    }

    /** The services of the files, each later file overriding the earlier ones. */
    public static Map<String, Service> services(Path... files) {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        for (Path file : files) {
            Map<String, Object> services = map(load(file).get("services"));
            services.forEach((name, definition) -> merged.merge(name, map(definition), ComposeFiles::override));
        }
        Map<String, Service> services = new LinkedHashMap<>();
        merged.forEach((name, definition) -> services.put(name, new Service(name, definition)));
        return services;
    }

    /** A YAML file (compose's, Prometheus's) as maps and lists, anchors and merge keys resolved. */
    public static Map<String, Object> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compose's interpolation with nothing set in the environment: every variable takes its default (or ""). */
    public static String withDefaults(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String operator = matcher.group(2);
            String value = operator != null && operator.endsWith("-") ? matcher.group(3) : "";
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return unescapeDollars(result.toString());
    }

    /** The variables a text refers to, each with its default (null when it has none). */
    public static Map<String, String> variables(String text) {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher matcher = VARIABLE.matcher(text.replace("$$", ""));
        while (matcher.find()) {
            String operator = matcher.group(2);
            variables.put(matcher.group(1), operator != null && operator.endsWith("-") ? matcher.group(3) : null);
        }
        return variables;
    }

    private static String unescapeDollars(String text) {
        return text.replace("$$", "$");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> override(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = merged.get(key);
            if ((key.equals("environment") || key.equals("labels")) && existing instanceof Map && value instanceof Map) {
                Map<String, Object> both = new LinkedHashMap<>((Map<String, Object>) existing);
                both.putAll((Map<String, Object>) value);
                merged.put(key, both);
            } else if (key.equals("ports") && existing instanceof List && value instanceof List) {
                List<Object> both = new ArrayList<>((List<Object>) existing);
                both.addAll((List<Object>) value);
                merged.put(key, both);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    private static List<String> splitOutsideVariables(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' && i > 0 && text.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
            if (c == ':' && depth == 0) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
