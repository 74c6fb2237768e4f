package dev.shopstream.producer.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What PostgreSQL cannot store or compare as text, said precisely; and refused values shown safely. */
class PostgresStorableTextTest {

    @Test
    void shouldAcceptAnyValidUnicodeWithinTheLength() {
        assertThat(PostgresStorableText.Validator.problem(null, 3)).isNull();
        assertThat(PostgresStorableText.Validator.problem("", 3)).isNull();
        assertThat(PostgresStorableText.Validator.problem("a\ud83d\ude00", 3)).isNull(); // a pair is one code point, two chars
        assertThat(PostgresStorableText.Validator.problem("\u0001\u007f\ufffd", 3)).isNull();
    }

    /** Issue 29: the contract counts code points; an emoji is one of them, two UTF-16 chars. */
    @Test
    void shouldCountTheLengthInCodePointsAsTheContractDoes() {
        String emoji = "\ud83d\ude00";
        assertThat(PostgresStorableText.Validator.problem(emoji.repeat(128), 128)).isNull();
        assertThat(PostgresStorableText.Validator.problem(emoji.repeat(129), 128)).isEqualTo("must be 1 to 128 characters, got 129");
        assertThat(PostgresStorableText.Validator.problem("a".repeat(127) + emoji, 128)).isNull();
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertThat(PostgresStorableText.Validator.problem("abcd", 3)).isEqualTo("must be 1 to 3 characters, got 4");
        assertThat(PostgresStorableText.Validator.problem("ab\u0000", 3)).isEqualTo("must not contain the NUL character (U+0000), found at position 2");
        assertThat(PostgresStorableText.Validator.problem("\ud800", 3)).isEqualTo("must be valid Unicode, found an unpaired surrogate (U+D800) at position 0");
        assertThat(PostgresStorableText.Validator.problem("a\udc00", 3)).isEqualTo("must be valid Unicode, found an unpaired surrogate (U+DC00) at position 1");
        assertThat(PostgresStorableText.Validator.problem("\ude00\ud83d", 3)).contains("U+DE00");
    }

    @Test
    void shouldShowARefusedValueAsShortPrintableText() {
        assertThat(InvalidParameterException.shown("yesterday")).isEqualTo("yesterday");
        assertThat(InvalidParameterException.shown("a\u0000b\ud800\ud83d\ude00")).isEqualTo("a\\u0000b\\uD800\ud83d\ude00");
        assertThat(InvalidParameterException.shown("x".repeat(100))).isEqualTo("x".repeat(64) + "… (100 characters)");
        assertThat(InvalidParameterException.shown("x".repeat(63) + "\ud83d\ude00" + "y")).isEqualTo("x".repeat(63) + "… (66 characters)");
    }
}
