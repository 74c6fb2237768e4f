package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One home per fact (issue 32): the topic, the window default and every table's name are spelled in main code only
 * in their home, and everything else refers to the home's constant. Reads every module's {@code src/main/java} from
 * the project's root; comments do not count (they describe, they do not decide). A hit names the file and line.
 */
class OneHomePerFactTest {

    private static final String CONTRACT = "pipeline-contract/src/main/java/dev/shopstream/contract/";
    private static final String EVENT_CONTRACT = CONTRACT + "EventContract.java";
    private static final String ANALYTICS_SCHEMA = CONTRACT + "AnalyticsSchema.java";

    /**
     * Where a spelling is not the fact, or where its home cannot be referred to yet: the file, a piece of the line that
     * holds it, and why. Keep this short.
     */
    private record Allowed(String file, String lineContains, String why) {
    }

    private static final List<Allowed> ALLOWED = List.of(
            // Not the window: how long a process may take.
            new Allowed("test-support/src/main/java/dev/shopstream/testsupport/ProducerServiceProcess.java", "awaitHttpOk(",
                    "a start-up timeout"),
            new Allowed("benchmarks/src/main/java/dev/shopstream/bench/PeerRunner.java", "process.await(written,",
                    "a timeout for the peer's totals"),
            // Not the window: an example of the settings' duration syntax.
            new Allowed("analytics-job/src/main/java/dev/shopstream/analytics/settings/Durations.java", "e.g. '2 minutes'",
                    "an example of the syntax"),
            // Not the tables: the old four-query layout's query names, which its checkpoint directories carry.
            new Allowed("analytics-job/src/main/java/dev/shopstream/analytics/checkpoint/CheckpointManifest.java",
                    "FOUR_QUERY_LAYOUT = ", "a query name of the job before 1.0"));

    @Test
    void shouldSpellTheTopicOnlyInTheEventContract() {
        List<String> hits = spellings(word(EventContract.TOPIC), false, EVENT_CONTRACT);
        assertThat(hits).as("the topic spelled outside EventContract.TOPIC: refer to it instead").isEmpty();
    }

    @Test
    void shouldSpellTheWindowDefaultOnlyInTheAnalyticsSchema() {
        long minutes = AnalyticsSchema.DEFAULT_WINDOW.toMinutes();
        assertThat(AnalyticsSchema.DEFAULT_WINDOW).isEqualTo(java.time.Duration.ofMinutes(minutes));
        List<String> hits = new ArrayList<>(spellings(Pattern.compile("ofMinutes\\(\\s*" + minutes + "L?\\s*\\)"), true, ANALYTICS_SCHEMA));
        hits.addAll(spellings(Pattern.compile("\\b" + minutes + "\\s*(minutes?|min)\\b|\\bPT" + minutes + "M\\b"), false, ANALYTICS_SCHEMA));
        assertThat(hits).as("the window default spelled outside AnalyticsSchema.DEFAULT_WINDOW: refer to it instead").isEmpty();
    }

    @Test
    void shouldSpellTableNamesOnlyInTheAnalyticsSchema() {
        assertThat(AnalyticsSchema.TABLES).as("every table of sql/").hasSize(11);
        List<String> hits = new ArrayList<>();
        for (String table : AnalyticsSchema.TABLES) {
            hits.addAll(spellings(ALSO_A_COLUMN.contains(table) ? asTable(table) : word(table), false, ANALYTICS_SCHEMA));
        }
        assertThat(hits).as("table names spelled outside AnalyticsSchema: refer to its constants instead").isEmpty();
    }

    @Test
    void shouldFindWhatItLooksFor() {
        // The check itself: a spelling in a string is found, one in a comment is not, escapes do not end a string.
        String source = "class A {\n  // user_events\n  /* \"user_events\" */\n  String a = \"x\\\" user_events\";\n"
                + "  String b = \"\"\"\n    FROM stream_progress\n    \"\"\";\n  char c = '\"'; Duration d = Duration.ofMinutes(2);\n}\n";
        Scan scan = Scan.of(source);
        assertThat(scan.stringHits(word(EventContract.TOPIC))).containsExactly(4);
        assertThat(scan.stringHits(word(AnalyticsSchema.STREAM_PROGRESS))).containsExactly(6);
        assertThat(scan.codeHits(Pattern.compile("ofMinutes\\(2\\)"))).containsExactly(8);
        Scan columns = Scan.of("String a = \"sum(late_events) AS late_events\";\nString b = \"DELETE FROM late_events\";\n"
                + "String c = \"TRUNCATE window_totals, late_events\";\nString d = \"the table late_events\";\n");
        assertThat(columns.stringHits(asTable(AnalyticsSchema.LATE_EVENTS))).containsExactly(2, 3, 4);
    }

    /**
     * Table names that are also the names of columns (stream_progress.quarantined_rows, audit_window.late_events) or of
     * the API's JSON fields (rejected_events, quarantined_rows, late_events): these count where SQL or text names a
     * table, after FROM, JOIN, INTO, UPDATE, TABLE, TRUNCATE (or in its list) or "table".
     */
    private static final java.util.Set<String> ALSO_A_COLUMN = java.util.Set.of(AnalyticsSchema.REJECTED_EVENTS,
            AnalyticsSchema.QUARANTINED_ROWS, AnalyticsSchema.LATE_EVENTS);

    private static Pattern asTable(String name) {
        return Pattern.compile("(?i)(\\b(from|join|into|update|table|truncate)\\s+|\\btruncate\\s+[a-z_, ]*,\\s*)"
                + word(name).pattern());
    }

    private static Pattern word(String name) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])");
    }

    /** "file:line: the line" for each match in main code outside {@code home}, in code or in string literals. */
    private static List<String> spellings(Pattern pattern, boolean inCode, String home) {
        Path root = root();
        List<String> hits = new ArrayList<>();
        for (Path file : mainSources(root)) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (relative.equals(home)) {
                continue;
            }
            List<String> lines;
            Scan scan;
            try {
                String text = Files.readString(file);
                lines = text.lines().toList();
                scan = Scan.of(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int line : inCode ? scan.codeHits(pattern) : scan.stringHits(pattern)) {
                String content = lines.get(line - 1);
                if (ALLOWED.stream().noneMatch(a -> relative.startsWith(a.file()) && content.contains(a.lineContains()))) {
                    hits.add(relative + ":" + line + ": " + content.trim());
                }
            }
        }
        return hits;
    }

    private static List<Path> mainSources(Path root) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> sources = Files.walk(main)) {
                        sources.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).as("main sources under " + root).anyMatch(f -> f.endsWith("AnalyticsSchema.java"));
        return files;
    }

    /** The project's root: the build's shopstream.root, else the first directory up from here with mvnw. */
    private static Path root() {
        String configured = System.getProperty("shopstream.root");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Paths.get(configured, "pipeline-contract"))) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("pipeline-contract"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No project root above " + Paths.get("").toAbsolutePath());
    }

    /**
     * A Java source split into code and string literals (text blocks too), comments dropped, each character kept at
     * its line.
     */
    private record Scan(String code, String strings) {

        static Scan of(String source) {
            StringBuilder code = new StringBuilder(source.length());
            StringBuilder strings = new StringBuilder(source.length());
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                    while (i < n && source.charAt(i) != '\n') {
                        blank(code, strings, source.charAt(i++));
                    }
                } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                    int end = source.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                    while (i < end) {
                        blank(code, strings, source.charAt(i++));
                    }
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end + 3;
                    while (i < end) {
                        literal(code, strings, source.charAt(i++));
                    }
                } else if (c == '"' || c == '\'') {
                    literal(code, strings, source.charAt(i++));
                    while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
                        if (source.charAt(i) == '\\' && i + 1 < n) {
                            literal(code, strings, source.charAt(i++));
                        }
                        literal(code, strings, source.charAt(i++));
                    }
                    if (i < n) {
                        literal(code, strings, source.charAt(i++));
                    }
                } else {
                    code.append(c);
                    strings.append(c == '\n' ? '\n' : ' ');
                    i++;
                }
            }
            return new Scan(code.toString(), strings.toString());
        }

        private static void blank(StringBuilder code, StringBuilder strings, char c) {
            code.append(c == '\n' ? '\n' : ' ');
            strings.append(c == '\n' ? '\n' : ' ');
        }

        private static void literal(StringBuilder code, StringBuilder strings, char c) {
            code.append(c == '\n' ? '\n' : ' ');
            strings.append(c);
        }

        List<Integer> codeHits(Pattern pattern) {
            return hits(code, pattern);
        }

        List<Integer> stringHits(Pattern pattern) {
            return hits(strings, pattern);
        }

        private static List<Integer> hits(String text, Pattern pattern) {
            List<Integer> lines = new ArrayList<>();
            var matcher = pattern.matcher(text);
            while (matcher.find()) {
                int line = 1;
                for (int k = 0; k < matcher.start(); k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                    }
                }
                if (!lines.contains(line)) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }
}
