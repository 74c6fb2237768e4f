package dev.shopstream.stack;

import dev.shopstream.testsupport.ProjectLayout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./run-local.sh --help} answers at once, with the launcher's own usage, and builds nothing. */
class RunLocalHelpTest {

    private static final String USAGE_FILE = "local-stack/src/main/resources/dev/shopstream/stack/run-local-usage.txt";

    @Test
    void shouldPrintTheLaunchersUsageWithoutBuilding(@TempDir Path checkout) throws Exception {
        // A checkout with only the script and its usage: no Maven Wrapper, no classes, so any build would fail.
        Path root = ProjectLayout.locate().root();
        Files.copy(root.resolve("run-local.sh"), checkout.resolve("run-local.sh"));
        Files.createDirectories(checkout.resolve(USAGE_FILE).getParent());
        Files.copy(root.resolve(USAGE_FILE), checkout.resolve(USAGE_FILE));

        for (String option : new String[] {"--help", "-h"}) {
            Process help = new ProcessBuilder("bash", checkout.resolve("run-local.sh").toString(), "--rate", "5", option)
                    .redirectErrorStream(true).start();
            assertThat(help.waitFor(10, TimeUnit.SECONDS)).as("answered within 10 s").isTrue();
            String output = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(help.exitValue()).as(output).isZero();
            assertThat(output.stripTrailing()).isEqualTo(StackOptions.USAGE);
        }
    }
}
