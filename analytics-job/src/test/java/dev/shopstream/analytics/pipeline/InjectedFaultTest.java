package dev.shopstream.analytics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test-only fault: absent unless asked for, and only the one known fault is accepted. */
class InjectedFaultTest {

    @Test
    void shouldInjectNothingWhenThePropertyIsAbsentOrEmpty() {
        assertThat(InjectedFault.parse(null)).isEmpty();
        assertThat(InjectedFault.parse("")).isEmpty();
    }

    @Test
    void shouldDropTheViewsOfTheNamedProduct() {
        assertThat(InjectedFault.parse("drop-views-of:prod_0021")).isPresent();
    }

    @Test
    void shouldRefuseToStartOnAnUnknownFault() {
        assertThatThrownBy(() -> InjectedFault.parse("drop-views-of:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no known test fault");
        assertThatThrownBy(() -> InjectedFault.parse("drop-purchases")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drop-views-of:<product_id>");
    }
}
