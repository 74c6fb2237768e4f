package dev.shopstream.producer.pipeline;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same specification, run against the packaged application (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class PipelineHealthResourceIT extends PipelineHealthResourceTest {
}
