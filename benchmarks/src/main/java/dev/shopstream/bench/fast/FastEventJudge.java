package dev.shopstream.bench.fast;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The fast half of the contract's verdict, on a record's bytes with Jackson's streaming parser (no tree, no String
 * per field): it says "valid" only for a record in the shape the producer writes whose every field passes the
 * contract's checks, and leaves every other record to the contract's own judge (EventRules), so the verdicts are
 * EventRules' on every record. What it accepts:
 * <ul>
 *   <li>plainly UTF-8 JSON: '{' first and valid UTF-8 (so the bytes read as the String the oracle decodes);</li>
 *   <li>each of the seven fields present, a JSON string (a number for the price), the last copy of a repeated name
 *       winning as in Jackson's tree;</li>
 *   <li>text of 1-128 code points, not all whitespace, without NUL; a known event type;</li>
 *   <li>a price of at most 6 integer digits and 2 significant decimals, above 0 (its cents then equal what EventRules
 *       derives through a double: checked for every such price, 0.01 to 999999.99, on Java 17);</li>
 *   <li>a time as the producer writes it, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, that exists and is not before 1970.</li>
 * </ul>
 * Not thread-safe: one per thread, its buffers reused from record to record.
 */
final class FastEventJudge {

    static final int EVENT_ID = 0;
    static final int EVENT_TYPE = 1;
    static final int USER_ID = 2;
    static final int PRODUCT_ID = 3;
    static final int CATEGORY = 4;
    static final int PRICE = 5;
    static final int EVENT_TIME = 6;
    private static final int FIELDS = 7;
    private static final int MAX_TEXT = dev.shopstream.contract.EventContract.MAX_TEXT_LENGTH;

    static final int VIEW = 0;
    static final int CART = 1;
    static final int PURCHASE = 2;
    private static final char[][] TYPES = {"product_view".toCharArray(), "add_to_cart".toCharArray(), "purchase".toCharArray()};

    private static final JsonFactory JSON = new JsonFactory();

    /** Per field: its characters and length; a negative length when absent, null, or of a kind left to EventRules. */
    final char[][] text = new char[FIELDS][64];
    final int[] length = new int[FIELDS];
    private final JsonToken[] tokens = new JsonToken[FIELDS];

    // The verdict's values, valid after judge() returned true.
    int eventType;
    long cents;
    long epochMillis;

    /** True when the record is valid by the fast path; false: ask EventRules (it may still be valid). */
    boolean judge(byte[] record) {
        if (record == null || record.length == 0 || record[0] != '{' || !Utf8.isValid(record)) {
            return false;
        }
        java.util.Arrays.fill(tokens, null);
        try (JsonParser parser = JSON.createParser(record)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                int field = field(parser.currentName());
                JsonToken value = parser.nextToken();
                if (field < 0) {
                    parser.skipChildren();
                    continue;
                }
                tokens[field] = value;
                if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                    copy(field, parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false; // EventRules says why (not_json), or finds it valid after all
        }
        return checked();
    }

    private boolean checked() {
        for (int f = 0; f < FIELDS; f++) {
            JsonToken token = tokens[f];
            boolean number = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
            if (token != JsonToken.VALUE_STRING && !(f == PRICE && number)) {
                return false;
            }
        }
        return text(EVENT_ID) && (eventType = type()) >= 0 && text(USER_ID) && text(PRODUCT_ID) && text(CATEGORY)
                && (cents = cents()) > 0 && (epochMillis = ProducerTime.epochMillis(text[EVENT_TIME], length[EVENT_TIME])) >= 0;
    }

    private void copy(int field, JsonParser parser) throws IOException {
        int n = parser.getTextLength();
        if (text[field].length < n) {
            text[field] = new char[Math.max(n, text[field].length * 2)];
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), text[field], 0, n);
        length[field] = n;
    }

    /** The contract field a member name is, or -1 for any other member (skipped, though it must still be valid JSON). */
    private static int field(String name) {
        return switch (name) {
            case "event_id" -> EVENT_ID;
            case "event_type" -> EVENT_TYPE;
            case "user_id" -> USER_ID;
            case "product_id" -> PRODUCT_ID;
            case "category" -> CATEGORY;
            case "price" -> PRICE;
            case "event_time" -> EVENT_TIME;
            default -> -1;
        };
    }

    /** 1-128 code points, not all whitespace (Java's \s, as the contract's pattern), no NUL. */
    private boolean text(int field) {
        char[] chars = text[field];
        int n = length[field];
        if (n == 0 || (n > MAX_TEXT && Character.codePointCount(chars, 0, n) > MAX_TEXT)) {
            return false;
        }
        boolean blank = true;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c == 0) {
                return false;
            }
            if (blank && !(c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r')) {
                blank = false;
            }
        }
        return !blank;
    }

    private int type() {
        char[] chars = text[EVENT_TYPE];
        int n = length[EVENT_TYPE];
        for (int t = 0; t < TYPES.length; t++) {
            if (TYPES[t].length == n && java.util.Arrays.equals(TYPES[t], 0, n, chars, 0, n)) {
                return t;
            }
        }
        return -1;
    }

    /** The price in cents when the fast path can vouch for it, else -1. */
    private long cents() {
        if (tokens[PRICE] == JsonToken.VALUE_STRING) {
            return -1;
        }
        char[] chars = text[PRICE];
        int n = length[PRICE];
        long whole = 0;
        int i = 0;
        for (; i < n && chars[i] >= '0' && chars[i] <= '9'; i++) {
            whole = whole * 10 + (chars[i] - '0');
            if (i >= 6) {
                return -1; // more than 6 integer digits: above the maximum, or needs EventRules' reading
            }
        }
        if (i == 0) {
            return -1; // a sign
        }
        long fraction = 0;
        if (i < n) {
            if (chars[i] != '.') {
                return -1; // an exponent
            }
            int digits = 0;
            for (i++; i < n; i++, digits++) {
                char c = chars[i];
                if (c < '0' || c > '9') {
                    return -1;
                }
                if (digits < 2) {
                    fraction = fraction * 10 + (c - '0');
                } else if (c != '0') {
                    return -1; // a third significant decimal: EventRules decides through its double
                }
            }
            if (digits == 1) {
                fraction *= 10;
            }
        }
        long total = whole * 100 + fraction;
        return total > 0 ? total : -1;
    }
}
