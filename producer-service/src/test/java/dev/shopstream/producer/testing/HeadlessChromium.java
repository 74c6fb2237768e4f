package dev.shopstream.producer.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven by its ChromeDriver, for the dashboard's browser tests: a profile of its
 * own, the browser's zone UTC, no animations; started before a test class's tests and quit after them. Missing
 * binaries fail the test under CI and skip it elsewhere.
 */
public final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ChromeDriver browser;
    private Path profile;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private void start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "The dashboard's browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run does it)";
            if (System.getenv("CI") != null) {
                fail(missing);
            }
            Assumptions.assumeTrue(false, missing + "; skipped outside CI");
        }
        try {
            profile = Files.createTempDirectory("dashboard-chromium");
            ChromeDriverService driver = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    // Window times show in the browser's zone: UTC, to read them as the fixture writes them.
                    .withEnvironment(Map.of("TZ", "UTC"))
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=1440,1080", "--lang=en-US",
                    // No chart animations: what the DOM and the screenshot show is the data, not a frame of a transition.
                    "--force-prefers-reduced-motion");
            browser = new ChromeDriver(driver, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser, once the test class has started: a JUnit extension, {@code @RegisterExtension static}. */
    public ChromeDriver browser() {
        return browser;
    }
}
