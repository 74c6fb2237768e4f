package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What rejected_events keeps of a payload: capped text on whole characters, the whole length, the digest. */
class RejectedPayloadTest {

    @Test
    void shouldKeepAPayloadWithinTheCapWhole() {
        byte[] value = "{\"price\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(RejectedPayload.of(value, 4096).text()).isEqualTo("{\"price\":\"abc\"}");
        assertThat(RejectedPayload.of(value, 4096).byteLength()).isEqualTo(value.length);
    }

    @Test
    void shouldCutBeforeACharacterThatTheCapWouldSplit() {
        byte[] value = "ab\uD83D\uDE00cd".getBytes(StandardCharsets.UTF_8); // an emoji is four bytes, from the third

        assertThat(RejectedPayload.of(value, 5).text()).isEqualTo("ab");
        assertThat(RejectedPayload.of(value, 6).text()).isEqualTo("ab\uD83D\uDE00");
        assertThat(RejectedPayload.of(value, 5).byteLength()).isEqualTo(8);
    }

    @Test
    void shouldDigestTheWholeValueNotTheKeptText() {
        byte[] value = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);

        assertThat(RejectedPayload.of(value, 10).sha256())
                .isEqualTo(RejectedPayload.of(value, 10_000).sha256())
                .isEqualTo("e4ee97ec252749d2096447e849628d0d7734f51700416eefbb33574bf0b3ee75");
    }

    @Test
    void shouldReadInvalidBytesAndNulAsReplacementCharacters() {
        byte[] value = {'{', (byte) 0xFF, 0, '}'};

        assertThat(RejectedPayload.of(value, 4096).text()).isEqualTo("{\uFFFD\uFFFD}");
    }

    @Test
    void shouldKeepNothingOfARecordWithoutValue() {
        assertThat(RejectedPayload.of(null, 4096)).isEqualTo(RejectedPayload.ABSENT);
    }
}
