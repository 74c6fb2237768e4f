package dev.shopstream.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * The files that cannot refer to a fact's home and spell it instead (issue 32: one home per fact), held to the home:
 * the compose files' topic, the service's application.properties, and the job's defaults as docs/operations.md lists
 * them. Java code refers to the homes; pipeline-contract's OneHomePerFactTest holds it to that.
 */
class SpelledFactsTest {

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    private static final CodeFacts CODE = new CodeFacts(LAYOUT);
    private static final Pattern TOPIC_OPTION = Pattern.compile("--topic\\s+(\\S+)");
    /** A row of the settings table: | `ENV` | `--key` | `default` | meaning |. */
    private static final Pattern SETTING_ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| `--[a-z-]+` \\| `([^`]*)` \\|");

    @Test
    void shouldCreateTheContractsTopicInBothComposeFiles() {
        for (Path file : List.of(LAYOUT.root().resolve("docker-compose.yml"), LAYOUT.root().resolve("docker-compose.cluster.yml"))) {
            Map<String, ComposeFiles.Service> services = file.endsWith("docker-compose.yml")
                    ? ComposeFiles.services(file) : ComposeFiles.services(LAYOUT.root().resolve("docker-compose.yml"), file);
            Matcher topic = TOPIC_OPTION.matcher(services.get("kafka-init").commandLine());
            assertThat(topic.find()).as("%s: kafka-init creates a topic", file.getFileName()).isTrue();
            assertThat(topic.group(1)).as("%s: the topic kafka-init creates", file.getFileName()).isEqualTo(EventContract.TOPIC);
        }
    }

    @Test
    void shouldSendTheServicesEventsToTheContractsTopic() {
        assertThat(CODE.serviceProperties().getProperty("mp.messaging.outgoing.user-events.topic"))
                .as("application.properties: the user-events channel's topic").isEqualTo(EventContract.TOPIC);
    }

    @Test
    void shouldListTheJobsDefaultsInTheOperationsGuide() {
        Map<String, String> documented = documentedDefaults();
        Map<String, String> defaults = CODE.jobSettingDefaults();
        assertThat(documented).as("settings in docs/operations.md's table").containsKeys("KAFKA_TOPIC", "WINDOW_DURATION",
                "WATERMARK_DELAY", "POSTGRES_URL");
        assertThat(defaults.keySet()).as("settings the job reads").containsAll(documented.keySet());
        documented.forEach((setting, value) -> {
            String actual = defaults.get(setting);
            if (setting.equals("WINDOW_DURATION") || setting.equals("WATERMARK_DELAY") || setting.equals("TRIGGER_INTERVAL")
                    || setting.equals("AUDIT_INTERVAL")) {
                assertThat(CODE.jobDuration(value)).as("docs/operations.md: %s's default", setting).isEqualTo(CODE.jobDuration(actual));
            } else {
                assertThat(value).as("docs/operations.md: %s's default", setting).isEqualTo(actual);
            }
        });
        assertThat(CODE.jobDuration(documented.get("WINDOW_DURATION"))).isEqualTo(AnalyticsSchema.DEFAULT_WINDOW);
        assertThat(CODE.jobDuration(documented.get("WATERMARK_DELAY"))).isEqualTo(AnalyticsSchema.DEFAULT_WATERMARK_DELAY);
        assertThat(documented.get("KAFKA_TOPIC")).isEqualTo(EventContract.TOPIC);
    }

    @Test
    void shouldSpellTheWindowWatermarkAndTopicInTheDocsAsTheirHomesSayThem() throws IOException {
        Pattern window = Pattern.compile("(\\d+)-minute window");
        Pattern watermark = Pattern.compile("(\\d+)-minute watermark");
        List<Path> docs = new java.util.ArrayList<>(List.of(LAYOUT.root().resolve("README.md")));
        try (var files = Files.list(LAYOUT.root().resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (var modules = Files.list(LAYOUT.root())) {
            modules.map(m -> m.resolve("README.md")).filter(Files::exists).sorted().forEach(docs::add);
        }
        int found = 0;
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                String where = LAYOUT.root().relativize(doc) + ":" + (i + 1);
                for (Matcher m = window.matcher(lines.get(i)); m.find(); found++) {
                    assertThat(Long.parseLong(m.group(1))).as("%s: the window", where).isEqualTo(AnalyticsSchema.DEFAULT_WINDOW.toMinutes());
                }
                for (Matcher m = watermark.matcher(lines.get(i)); m.find(); found++) {
                    assertThat(Long.parseLong(m.group(1))).as("%s: the watermark delay", where)
                            .isEqualTo(AnalyticsSchema.DEFAULT_WATERMARK_DELAY.toMinutes());
                }
                for (Matcher m = TOPIC_OPTION.matcher(lines.get(i)); m.find(); found++) {
                    assertThat(m.group(1)).as("%s: the topic", where).isEqualTo(EventContract.TOPIC);
                }
            }
        }
        assertThat(found).as("spellings checked in the docs").isGreaterThan(5);
    }

    /** The settings table's one-setting rows: environment variable to default, as the guide spells them. */
    private static Map<String, String> documentedDefaults() {
        Map<String, String> rows = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(LAYOUT.root().resolve("docs/operations.md"))) {
                Matcher row = SETTING_ROW.matcher(line);
                if (row.find()) {
                    rows.put(row.group(1), row.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
