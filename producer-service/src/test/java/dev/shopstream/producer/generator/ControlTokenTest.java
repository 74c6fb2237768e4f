package dev.shopstream.producer.generator;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may change the producer: anyone without a token set; with one, only the exact bearer token. */
class ControlTokenTest {

    @Test
    void shouldAllowEveryoneWhenNoTokenIsSet() {
        assertThat(new ControlToken(Optional.empty()).required()).isFalse();
        assertThat(new ControlToken(Optional.empty()).allows(null)).isTrue();
    }

    /** Issue 29: a blank token silently turned the protection off. */
    @Test
    void shouldRefuseABlankTokenNamingTheSetting() {
        for (String blank : new String[] {"", " ", "  \t "}) {
            assertThatThrownBy(() -> new ControlToken(Optional.of(blank)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("producer.control-token (PRODUCER_CONTROL_TOKEN) is set but blank");
        }
    }

    @Test
    void shouldAllowOnlyTheExactBearerToken() {
        ControlToken token = new ControlToken(Optional.of("s3cret-Token"));
        assertThat(token.required()).isTrue();
        assertThat(token.allows("Bearer s3cret-Token")).isTrue();
        assertThat(token.allows("bearer s3cret-Token")).isTrue(); // the scheme is case-insensitive (RFC 9110)
        assertThat(token.allows(null)).isFalse();
        assertThat(token.allows("")).isFalse();
        assertThat(token.allows("Bearer ")).isFalse();
        assertThat(token.allows("Bearer s3cret-token")).isFalse();
        assertThat(token.allows("Bearer s3cret-Token2")).isFalse();
        assertThat(token.allows("Bearer s3cret")).isFalse();
        assertThat(token.allows("Basic s3cret-Token")).isFalse();
        assertThat(token.allows("s3cret-Token")).isFalse();
    }
}
