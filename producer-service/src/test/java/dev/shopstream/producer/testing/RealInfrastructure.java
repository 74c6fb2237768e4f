package dev.shopstream.producer.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Declares the real broker and database once for every Quarkus test of this module (GLOBAL scope), so the
 * application starts once and all test classes share it.
 */
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
public final class RealInfrastructure {
    private RealInfrastructure() {
    }
}
