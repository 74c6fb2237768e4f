package dev.shopstream.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.shopstream.contract.EventRules;

/**
 * The job's reader gives the contract's verdict on records at the edges of its byte path: whatever is not plainly
 * UTF-8 JSON must read as the oracle reads the record's text (decoded with replacement characters). Property tests
 * ({@code EventParserPropertiesTest}) cover generated records; these are the cases a generator rarely hits.
 */
class EventJsonReaderTest {

    private static final String SAMPLE = "{\"event_id\":\"e-1\",\"event_type\":\"purchase\",\"user_id\":\"u\",\"product_id\":\"p\","
            + "\"category\":\"c\",\"price\":129.99,\"event_time\":\"2026-11-25T02:31:07.412Z\"}";

    static List<byte[]> edgeCases() {
        return java.util.Arrays.asList(
                utf8(SAMPLE),
                bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(SAMPLE)),                // a byte order mark
                utf8(SAMPLE.replace("\"p\"", "\"p\u00e9\"")),                                           // valid two-byte text
                replaceText(SAMPLE, "\"p\"", new byte[] {'"', 'p', (byte) 0xC3, '"'}),                  // a cut character
                replaceText(SAMPLE, "\"p\"", new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}), // an encoded surrogate
                replaceText(SAMPLE, "\"p\"", new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}),          // an overlong NUL
                replaceText(SAMPLE, "\"p\"", new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}), // past U+10FFFF
                replaceText(SAMPLE, "\"p\"", new byte[] {'"', (byte) 0xFF, '"'}),                       // a byte no UTF-8 has
                bytes(new byte[] {'{', 0}, utf8(SAMPLE.substring(1))),                                  // a zero byte second
                utf8(" " + SAMPLE),                                                                     // leading space
                utf8(SAMPLE + " and then some text"),                                                   // trailing text
                utf8(SAMPLE + "}"),                                                                     // a closing brace too many
                utf8(SAMPLE.replace("129.99", "129.9900000000000001")),                                 // digits past a double
                utf8(SAMPLE.replace("129.99", "1e400")),                                                // past a double's range
                utf8(SAMPLE.replace("129.99", "-0")),
                utf8(SAMPLE.replace("129.99", "99999999999999999999999")),
                utf8(SAMPLE.replace("129.99", "\" 12.5 \"")),                                           // a price as padded text
                utf8(SAMPLE.replace("129.99", "true")),
                utf8(SAMPLE.replace("\"e-1\"", "12345")),                                               // a number as an id
                utf8(SAMPLE.replace("\"e-1\"", "1.50")),
                utf8(SAMPLE.replace("\"e-1\"", "[1, {\"a\": \"\uD83D\uDED2\"}]")),                      // an array as an id
                utf8(SAMPLE.replace("\"e-1\"", "null")),
                utf8(SAMPLE.replace("\"u\"", "\"u\",\"user_id\":null")),                                // a later duplicate key wins
                utf8(SAMPLE.replace("2026-11-25T02:31:07.412Z", "2026-02-30T02:31:07.412Z")),
                utf8(SAMPLE.replace("2026-11-25T02:31:07.412Z", "2026-11-25T02:31:60.000Z")),
                utf8(SAMPLE.replace("2026-11-25T02:31:07.412Z", "2026-11-25T02:31:07+01:00")),
                utf8(SAMPLE.replace("2026-11-25T02:31:07.412Z", "1969-12-31T23:59:59.999Z")),
                utf8(SAMPLE.replace("2026-11-25T02:31:07.412Z", "2026-11-25T02:31:07.412Z\n")),
                utf8("[" + SAMPLE + "]"),
                utf8(""),
                utf8("   "),
                null);
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void shouldGiveTheContractsVerdictOnARecordAtTheEdgeOfTheBytePath(byte[] value) {
        String oracle = EventRules.judge(value == null ? null : new String(value, StandardCharsets.UTF_8)).reason();

        assertThat(new EventJsonReader().read(value).reason()).as("verdict on %s", value == null ? null : new String(value, StandardCharsets.UTF_8))
                .isEqualTo(oracle);
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void shouldReadTheSameFieldsAsTheContract(byte[] value) {
        EventRules.Verdict oracle = EventRules.judge(value == null ? null : new String(value, StandardCharsets.UTF_8));
        EventJsonReader.Reading reading = new EventJsonReader().read(value);
        if (!oracle.valid()) {
            return;
        }
        assertThat(List.of(reading.eventId(), reading.eventType(), reading.userId(), reading.productId(), reading.category()))
                .containsExactly(oracle.event().eventId(), oracle.event().eventType(), oracle.event().userId(), oracle.event().productId(),
                        oracle.event().category());
        assertThat(reading.price()).isEqualTo(oracle.event().price());
        assertThat(reading.eventTimeMicros()).isEqualTo(oracle.event().eventTime().getEpochSecond() * 1_000_000L
                + oracle.event().eventTime().getNano() / 1_000);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static byte[] replaceText(String json, String target, byte[] replacement) {
        int at = json.indexOf(target);
        return bytes(bytes(utf8(json.substring(0, at)), replacement), utf8(json.substring(at + target.length())));
    }
}
