package dev.shopstream.producer.dashboard;

import java.net.URL;
import java.time.Duration;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.HeadlessChromium;
import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.producer.testing.WithControlToken;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard against a service with producer.control-token set, in headless Chromium: the first change of
 * the rate meets a 401, the page asks for the token once, sends the change again with it, and keeps it for the
 * tab; a wrong token is forgotten and the server's refusal shown.
 */
@QuarkusTest
@TestProfile(WithControlToken.class)
class DashboardControlTokenTest {

    static { RealInfrastructure.class.getName(); }

    private static final Duration PATIENCE = DashboardPage.PATIENCE;

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    private static ChromeDriver browser;
    private static DashboardPage page;

    @TestHTTPResource("/")
    URL address;

    @BeforeAll
    static void openBrowser() {
        browser = CHROMIUM.browser();
        page = new DashboardPage(browser);
    }

    @AfterEach
    void pauseTheProducer() {
        given().header("Authorization", "Bearer " + WithControlToken.TOKEN).contentType(ContentType.JSON)
                .body("{\"events_per_second\": 0}").when().put("/producer/rate").then().statusCode(200);
        browser.executeScript("sessionStorage.clear()");
    }

    @Test
    void shouldAskForTheTokenOnceAndKeepItForTheTab() {
        Alert prompt = openThePageAndSetTheRate("9");
        assertThat(prompt.getText()).contains("producer.control-token");
        prompt.sendKeys(WithControlToken.TOKEN);
        prompt.accept();
        page.awaitText("rate-message", "Rate set to 9 events/s.");
        given().when().get("/producer").then().body("events_per_second", org.hamcrest.Matchers.equalTo(9.0f));

        page.setRate("4");
        page.awaitText("rate-message", "Rate set to 4 events/s.");
        assertThat(promptShown()).as("a second prompt").isFalse();
        given().when().get("/producer").then().body("events_per_second", org.hamcrest.Matchers.equalTo(4.0f));
    }

    @Test
    void shouldShowTheRefusalOfAWrongTokenAndAskAgainNextTime() {
        Alert prompt = openThePageAndSetTheRate("6");
        prompt.sendKeys("not-the-token");
        prompt.accept();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(page.text("rate-message")).contains("Authorization: Bearer <token>"));
        assertThat(browser.findElement(By.id("rate-message")).getAttribute("class")).contains("error");
        given().when().get("/producer").then().body("events_per_second", org.hamcrest.Matchers.equalTo(0.0f));

        page.setRate("6");
        awaitPrompt().dismiss();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(page.text("rate-message")).contains("Authorization: Bearer <token>"));
    }

    /** Opens the dashboard over the fixture's rows, asks for a rate, and returns the prompt the 401 brings. */
    private Alert openThePageAndSetTheRate(String rate) {
        AnalyticsFixture.load();
        browser.get(address.toString());
        page.awaitText("pipeline-status", "Running");
        page.setRate(rate);
        return awaitPrompt();
    }

    private static Alert awaitPrompt() {
        await().atMost(PATIENCE).until(DashboardControlTokenTest::promptShown);
        return browser.switchTo().alert();
    }

    private static boolean promptShown() {
        try {
            browser.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }
}
