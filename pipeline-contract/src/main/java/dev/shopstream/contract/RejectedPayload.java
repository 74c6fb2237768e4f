package dev.shopstream.contract;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * What {@code rejected_events} keeps of a record that is not a valid event: at most the first {@code maxBytes}
 * bytes of its value as text, the value's whole length in bytes and its SHA-256. A record can be as large as the
 * broker allows (a megabyte by default), and a burst of them must not fill the job's memory or the table; the
 * length and digest, with the record's partition and offset, let an operator find and check the original in Kafka.
 *
 * <p>The kept text ends on a whole UTF-8 character (never half of one), invalid bytes read as U+FFFD, and a NUL,
 * which PostgreSQL text cannot hold, as U+FFFD too.
 */
public record RejectedPayload(String text, long byteLength, String sha256) {
    // byteLength is -1 and sha256 null where the original bytes are not at hand (describing).

    /** The default of the job's REJECTED_PAYLOAD_MAX_BYTES. */
    public static final int DEFAULT_MAX_BYTES = 4096;

    /** The payload of a record without a value (a Kafka tombstone): no text, no bytes. */
    public static final RejectedPayload ABSENT = new RejectedPayload(null, 0, null);

    /** @param value the record's value as Kafka holds it; null for a record without one */
    public static RejectedPayload of(byte[] value, int maxBytes) {
        if (value == null) {
            return ABSENT;
        }
        return new RejectedPayload(keptText(value, maxBytes), value.length, sha256(value));
    }

    /**
     * A copy of an event kept aside after it was parsed (a conflicting duplicate): the fields the analytics read, as
     * JSON in contract order ({@code {"event_id":...,"event_time":"2026-11-25T02:31:07.412Z"}}, the time to the
     * microsecond), which is all the stream still holds of it; its length and digest are unknown (-1, null): the
     * original is in Kafka at its position.
     */
    public static RejectedPayload describing(String eventId, String eventType, String productId, String category, BigDecimal price,
                                             Instant eventTime) {
        String text = "{\"event_id\":" + jsonText(eventId) + ",\"event_type\":" + jsonText(eventType) + ",\"product_id\":"
                + jsonText(productId) + ",\"category\":" + jsonText(category) + ",\"price\":" + price.toPlainString()
                + ",\"event_time\":\"" + eventTime.truncatedTo(ChronoUnit.MICROS) + "\"}";
        return new RejectedPayload(text.replace('\u0000', '\uFFFD'), -1, null);
    }

    private static String jsonText(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String keptText(byte[] value, int maxBytes) {
        int end = Math.min(value.length, Math.max(0, maxBytes));
        // A cut inside a character (the byte after it a continuation byte, 10xxxxxx) moves back to that
        // character's first byte: at most three steps, so stray continuation bytes cannot walk it far.
        for (int steps = 0; end < value.length && end > 0 && steps < 3 && (value[end] & 0xC0) == 0x80; steps++) {
            end--;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(value, 0, end));
            return chars.toString().replace('\u0000', '\uFFFD');
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
