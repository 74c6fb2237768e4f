package dev.shopstream.producer.dashboard;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the browser tests do on the dashboard: read an element's text, wait for one, set the rate. */
final class DashboardPage {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver browser;

    DashboardPage(ChromeDriver browser) {
        this.browser = browser;
    }

    void setRate(String value) {
        WebElement input = browser.findElement(By.id("rate-input"));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.id("rate-submit")).click();
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    void awaitText(String id, String expected) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(text(id)).isEqualTo(expected));
    }
}
