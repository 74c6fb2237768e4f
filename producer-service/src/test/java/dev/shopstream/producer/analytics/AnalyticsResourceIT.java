package dev.shopstream.producer.analytics;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same specification, run against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class AnalyticsResourceIT extends AnalyticsResourceTest {
}
