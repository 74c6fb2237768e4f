package dev.shopstream.analytics.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A JSON object written field by field, with each value given as raw JSON text, so a test can put exactly
 * the bytes it means into a payload: {@code 129.990}, {@code "129.99"}, {@code null}, a missing field.
 */
public final class EventJson {

    /** The sample of the event contract, field for field. */
    public static final String SAMPLE = "{\"event_id\":\"6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20\",\"event_type\":\"purchase\","
            + "\"user_id\":\"user_0042\",\"product_id\":\"prod_0007\",\"category\":\"electronics\",\"price\":129.99,"
            + "\"event_time\":\"2026-11-25T02:31:07.412Z\"}";

    private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();

    private EventJson() {
    }

    /** The contract's sample event. */
    public static EventJson sample() {
        return new EventJson()
                .raw("event_id", quote("6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20"))
                .raw("event_type", quote("purchase"))
                .raw("user_id", quote("user_0042"))
                .raw("product_id", quote("prod_0007"))
                .raw("category", quote("electronics"))
                .raw("price", "129.99")
                .raw("event_time", quote("2026-11-25T02:31:07.412Z"));
    }

    /** Sets a field to raw JSON text. */
    public EventJson raw(String field, String json) {
        fields.put(field, json);
        return this;
    }

    /** Sets a field to a JSON string. */
    public EventJson text(String field, String value) {
        return raw(field, quote(value));
    }

    public EventJson without(String field) {
        fields.remove(field);
        return this;
    }

    public String json() {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String toString() {
        return json();
    }

    /**
     * A JSON string literal; non-ASCII characters stay as they are (UTF-8), as a producer would write them. An
     * unpaired surrogate, which no UTF-8 can hold, is written as its escape: valid JSON text all the same.
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || unpairedSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean unpairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /** The fields of {@link #sample()} as a map of raw JSON values, for tests that iterate over fields. */
    public static Map<String, String> sampleFields() {
        return Map.copyOf(sample().fields);
    }
}
