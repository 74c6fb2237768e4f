package dev.shopstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The mix as the figures describe it. */
class TrafficMixTest {

    @Test
    void shouldDescribeTheDefaultSharesAsTheDocsWriteThem() {
        assertThat(TrafficMix.defaults().describeShares())
                .isEqualTo("3% re-sent duplicates, 1% late, 0.1% malformed, 10% non-ASCII names, Zipf 1.1 over 500 products");
    }
}
