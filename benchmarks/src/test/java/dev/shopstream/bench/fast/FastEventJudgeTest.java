package dev.shopstream.bench.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;

/**
 * The all-core reference's verdict is the contract's on every record: where its fast path says valid, EventRules says
 * valid with the same values; anything else goes to EventRules itself. Checked on the realistic traffic, on records
 * mutated byte by byte, and on edge cases of each rule.
 */
class FastEventJudgeTest {

    private static final String VALID = "{\"event_id\":\"0b4f2c3e-8a1d-4c2b-9e3f-5a6b7c8d9e0f\",\"event_type\":\"purchase\","
            + "\"user_id\":\"user_0042\",\"product_id\":\"café-crème_0007\",\"category\":\"jouets 🧸\",\"price\":12.34,"
            + "\"event_time\":\"2026-12-05T10:11:12.345Z\"}";

    @Test
    void theProducersShapeTakesTheFastPath() {
        FastEventJudge judge = new FastEventJudge();
        assertThat(judge.judge(VALID.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertSameAsContract(judge, VALID);
    }

    @Test
    void generatedTrafficGetsTheContractsVerdicts() {
        FastEventJudge judge = new FastEventJudge();
        dev.shopstream.bench.TopicTraffic traffic = dev.shopstream.bench.TrafficForTests.realistic(Instant.parse("2026-12-01T00:00:00Z"));
        int fast = 0;
        for (int i = 0; i < 100_000; i++) {
            String json = traffic.next().json();
            fast += assertSameAsContract(judge, json) ? 1 : 0;
        }
        assertThat(fast).as("records on the fast path").isGreaterThan(99_000);
    }

    @Test
    void mutatedRecordsGetTheContractsVerdicts() {
        FastEventJudge judge = new FastEventJudge();
        SplittableRandom random = new SplittableRandom(7);
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        String alphabet = "{}[]\":,.-+eE0123456789 \\u\t\nZT:aé🧸\u0000";
        for (int i = 0; i < 60_000; i++) {
            byte[] bytes = valid.clone();
            int edits = 1 + random.nextInt(3);
            StringBuilder text = new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
            for (int e = 0; e < edits && text.length() > 1; e++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertSameAsContract(judge, text.toString());
        }
    }

    @Test
    void edgeCasesOfEachRule() {
        FastEventJudge judge = new FastEventJudge();
        List<String> cases = new ArrayList<>();
        for (String price : List.of("0", "0.00", "0.01", "1", "999999", "999999.99", "1000000", "999999.990", "12.3", "12.30000",
                "12.345", "12.3400000000000000001", "0.1000000000000000055511151231257827", "-1.00", "1e2", "1.5E1", "\"12.34\"",
                "\" 12.34 \"", "12", "007", "1.", ".5", "null", "true", "[1]", "{}", "1e400", "123456.78")) {
            cases.add(VALID.replace("\"price\":12.34", "\"price\":" + price));
        }
        for (String time : List.of("2026-12-05T10:11:12.345Z", "2026-02-29T10:11:12.345Z", "2024-02-29T10:11:12.345Z",
                "2026-02-30T00:00:00.000Z", "2026-12-05T24:00:00.000Z", "2026-12-05T23:59:60.000Z", "1969-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00.000Z", "2026-12-05T10:11:12Z", "2026-12-05T10:11:12.3456789Z", "2026-12-05T10:11:12.345+02:00",
                "2026-12-05T10:11:12.345", "2026-12-05 10:11:12.345Z", "２０２６-12-05T10:11:12.345Z", "9999-12-31T23:59:59.999Z",
                "2026-13-05T10:11:12.345Z", "2026-00-05T10:11:12.345Z", "2026-12-00T10:11:12.345Z")) {
            cases.add(VALID.replace("2026-12-05T10:11:12.345Z", time));
        }
        for (String text : List.of("", " ", "\\t", " \\n ", "\\u000b", "\\u00a0", "a\\u0000b", "x".repeat(128), "x".repeat(129),
                "🧸".repeat(128), "🧸".repeat(129), "\\ud83e\\uddf8", "\\ud83e", "\\\"quoted\\\"")) {
            cases.add(VALID.replace("\"category\":\"jouets 🧸\"", "\"category\":\"" + text + "\""));
            cases.add(VALID.replace("\"user_id\":\"user_0042\"", "\"user_id\":\"" + text + "\""));
        }
        cases.add(VALID.replace("\"event_type\":\"purchase\"", "\"event_type\":\"checkout\""));
        cases.add(VALID.replace("\"event_type\":\"purchase\"", "\"event_type\":\"Purchase\""));
        cases.add(VALID.replace("\"event_id\":\"0b4f2c3e", "\"event_id\":\"0B4F2C3E"));
        cases.add(VALID.replace("\"user_id\":\"user_0042\"", "\"user_id\":42"));
        cases.add(VALID.replace("\"user_id\":\"user_0042\"", "\"user_id\":4.20"));
        cases.add(VALID.replace("\"user_id\":\"user_0042\"", "\"user_id\":[\"a\"]"));
        cases.add(VALID.replace("\"user_id\":\"user_0042\"", "\"user_id\":null"));
        cases.add(VALID.replace("\"user_id\":\"user_0042\",", ""));
        cases.add(VALID.replace("{", "{\"price\":[1,{\"a\":2}],"));
        cases.add(VALID.replace("}", ",\"price\":\"abc\"}"));
        cases.add(VALID.replace("}", ",\"price\":5.00}"));
        cases.add(VALID.replace("}", ",\"extra\":{\"deep\":[1,2,{\"x\":null}]}}"));
        cases.add(VALID + " trailing");
        cases.add(VALID + "}");
        cases.add(" " + VALID);
        cases.add("\uFEFF" + VALID);
        cases.add(VALID.substring(0, VALID.length() - 1));
        cases.addAll(List.of("", "null", "[]", "{}", "\"text\"", "{\"event_id\":'x'}", "{\"event_id\":NaN}"));
        for (String json : cases) {
            assertSameAsContract(judge, json);
        }
    }

    @Test
    void invalidUtf8LeavesTheFastPath() {
        FastEventJudge judge = new FastEventJudge();
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF})) {
            byte[] bytes = new byte[valid.length + bad.length];
            int at = VALID.indexOf("user_0042") + 4;
            System.arraycopy(valid, 0, bytes, 0, at);
            System.arraycopy(bad, 0, bytes, at, bad.length);
            System.arraycopy(valid, at, bytes, at + bad.length, valid.length - at);
            assertThat(judge.judge(bytes)).isFalse();
        }
    }

    /** True when the record took the fast path (and then EventRules agreed, value for value). */
    private static boolean assertSameAsContract(FastEventJudge judge, String text) {
        // As on Kafka: the fast path reads the record's bytes, the oracle the String decoded from them.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String json = new String(bytes, StandardCharsets.UTF_8);
        EventRules.Verdict verdict = EventRules.judge(json);
        if (!judge.judge(bytes)) {
            return false;
        }
        assertThat(verdict.valid()).as("fast path said valid: %s", json).isTrue();
        assertThat(text(judge, FastEventJudge.EVENT_ID)).isEqualTo(verdict.event().eventId());
        assertThat(EventContract.EVENT_TYPES.get(judge.eventType)).isEqualTo(verdict.event().eventType());
        assertThat(text(judge, FastEventJudge.PRODUCT_ID)).isEqualTo(verdict.event().productId());
        assertThat(text(judge, FastEventJudge.CATEGORY)).isEqualTo(verdict.event().category());
        assertThat(BigDecimal.valueOf(judge.cents, 2)).isEqualTo(verdict.event().price());
        assertThat(judge.epochMillis).isEqualTo(verdict.event().eventTime().toEpochMilli());
        return true;
    }

    private static String text(FastEventJudge judge, int field) {
        return new String(judge.text[field], 0, judge.length[field]);
    }
}
