package dev.shopstream.producer.web;

import java.net.URL;
import java.util.stream.Collectors;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

/**
 * Runs the jqwik properties of {@link ApiFuzzProperties} against this running service (the real PostgreSQL with
 * the known rows, the real broker): jqwik generates, checks and shrinks; a failing property fails this test with
 * its shrunk sample. {@code -Djqwik.tries.default=N} runs more tries (1,000 per property by default).
 */
@QuarkusTest
class ApiFuzzTest {

    static { RealInfrastructure.class.getName(); }

    static final String TRIES = "jqwik.tries.default";

    @TestHTTPResource("/")
    URL service;

    @AfterEach
    void pause() {
        given().contentType(ContentType.JSON).body("{\"events_per_second\": 0}").when().put("/producer/rate").then().statusCode(200);
    }

    @Test
    void shouldAnswerEveryHostileRequestWithA2xxOrA4xxInTime() {
        AnalyticsFixture.load();
        System.setProperty(ApiFuzzProperties.BASE_URL, service.toString().replaceAll("/$", ""));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                // By name, from the application class loader: jqwik's engine and the properties then see the same jqwik API.
                .selectors(selectClass(ApiFuzzProperties.class.getName()))
                .filters(includeEngines("jqwik"))
                .configurationParameter(TRIES, System.getProperty(TRIES, "1000"))
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LauncherFactory.create().execute(request, listener);
        } finally {
            thread.setContextClassLoader(previous);
        }
        TestExecutionSummary summary = listener.getSummary();
        String failures = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n\n"));
        assertThat(summary.getTestsSucceededCount()).as(failures).isEqualTo(11);
        assertThat(summary.getTotalFailureCount()).as(failures).isZero();
    }
}
