package dev.shopstream.analytics.events;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.RejectReason;

/**
 * Reads one Kafka record's value as a user event of the contract, in one pass over its bytes, or says why it is not
 * one: the job's parser. It is the job's own reading of the contract, written apart from the contract's plain-Java
 * rules ({@code EventRules}), which the oracle and the audit use: the two must agree on every record
 * ({@code EventParserPropertiesTest}, {@code EventJsonReaderTest}), so a bug in either shows as a difference.
 *
 * <p>JSON as the contract reads it: strict (no single quotes, no NaN), the root an object, the last of duplicate keys
 * wins, what follows the root object is ignored; a number, boolean, array or object where text is expected counts
 * as its text. Fields are checked in contract order, for each "missing" first. A value that is not plainly UTF-8 (an
 * invalid byte, or a first byte other than '{', so also a byte order mark or UTF-16) is read as the oracle reads it:
 * decoded to text with replacement characters first.
 *
 * <p>Not thread-safe; one per task. Never throws for any input.
 */
final class EventJsonReader {

    /** One read: the event's fields, or the reason it is not one (all fields null then). */
    record Reading(String eventId, String eventType, String userId, String productId, String category, BigDecimal price,
                   long eventTimeMicros, String reason) {

        static Reading rejected(String reason) {
            return new Reading(null, null, null, null, null, null, 0, reason);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    /** For an array or object where text is expected: its text is what Jackson's generator writes for it. */
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final Pattern INSTANT = Pattern.compile(EventContract.INSTANT_PATTERN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long MAX_CENTS = EventContract.MAX_PRICE.movePointRight(2).longValueExact();
    private static final long EARLIEST_MICROS = EventContract.EARLIEST_EVENT_TIME.getEpochSecond() * 1_000_000L;

    private static final int EVENT_ID = 0;
    private static final int EVENT_TYPE = 1;
    private static final int USER_ID = 2;
    private static final int PRODUCT_ID = 3;
    private static final int CATEGORY = 4;
    private static final int PRICE = 5;
    private static final int EVENT_TIME = 6;
    private static final List<String> FIELDS = EventContract.FIELDS;

    /** Per field of the last read: its text (null: missing or JSON null). */
    private final String[] text = new String[FIELDS.size()];
    /** For the price: the JSON token it came as, when a number. */
    private JsonToken priceToken;
    private double priceDouble;
    private long priceLong;
    private BigDecimal priceExact;

    Reading read(byte[] value) {
        if (value == null || value.length == 0) {
            return Reading.rejected(RejectReason.NOT_JSON);
        }
        java.util.Arrays.fill(text, null);
        priceToken = null;
        try (JsonParser parser = plainUtf8(value) ? JSON.createParser(value) : JSON.createParser(new String(value, StandardCharsets.UTF_8))) {
            if (!readObject(parser)) {
                return Reading.rejected(RejectReason.NOT_JSON);
            }
        } catch (IOException | RuntimeException e) {
            return Reading.rejected(RejectReason.NOT_JSON);
        }
        return judge();
    }

    /** The root object's fields into {@link #text}; false when the root is not an object. */
    private boolean readObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw new IOException("expected a field name, found " + token);
            }
            int field = FIELDS.indexOf(parser.currentName());
            JsonToken valueToken = parser.nextToken();
            if (field < 0) {
                parser.skipChildren();
                continue;
            }
            text[field] = textOf(parser, valueToken);
            if (field == PRICE) {
                rememberPriceNumber(parser, valueToken);
            }
        }
        return true;
    }

    /** A value as text, as a JSON tree's asText() gives it; null for JSON null. */
    private static String textOf(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> Integer.toString(parser.getIntValue());
                case LONG -> Long.toString(parser.getLongValue());
                default -> parser.getBigIntegerValue().toString();
            };
            case VALUE_NUMBER_FLOAT -> Double.toString(parser.getDoubleValue());
            case START_OBJECT, START_ARRAY -> {
                JsonNode tree = TREE.readTree(parser);
                yield new String(TREE.writeValueAsBytes(tree), StandardCharsets.UTF_8);
            }
            default -> throw new IOException("unexpected token " + token);
        };
    }

    private void rememberPriceNumber(JsonParser parser, JsonToken token) throws IOException {
        priceToken = null;
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            priceToken = token;
            priceDouble = parser.getDoubleValue();
        } else if (token == JsonToken.VALUE_NUMBER_INT) {
            priceToken = token;
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                priceExact = new BigDecimal(parser.getBigIntegerValue());
                priceLong = -1;
            } else {
                priceLong = parser.getLongValue();
                priceExact = null;
            }
        }
    }

    private Reading judge() {
        long cents = -1;
        long micros = 0;
        for (int field = 0; field < FIELDS.size(); field++) {
            String name = FIELDS.get(field);
            String value = text[field];
            if (value == null) {
                return Reading.rejected(RejectReason.missingField(name));
            }
            switch (field) {
                case EVENT_ID, USER_ID, PRODUCT_ID, CATEGORY -> {
                    String problem = textProblem(name, value);
                    if (problem != null) {
                        return Reading.rejected(problem);
                    }
                }
                case EVENT_TYPE -> {
                    if (!EventContract.EVENT_TYPES.contains(value)) {
                        return Reading.rejected(RejectReason.UNKNOWN_EVENT_TYPE);
                    }
                }
                case PRICE -> {
                    cents = priceToken != null ? centsOfNumber() : centsOfText(value);
                    if (cents < 0) {
                        return Reading.rejected(RejectReason.INVALID_PRICE);
                    }
                }
                case EVENT_TIME -> {
                    micros = micros(value);
                    if (micros == Long.MIN_VALUE) {
                        return Reading.rejected(RejectReason.INVALID_EVENT_TIME);
                    }
                }
                default -> throw new IllegalStateException("field " + name);
            }
        }
        return new Reading(text[EVENT_ID], text[EVENT_TYPE], text[USER_ID], text[PRODUCT_ID], text[CATEGORY],
                BigDecimal.valueOf(cents, 2), micros, null);
    }

    /** Blank (only \s whitespace, as the contract's regex has it), longer than the limit in code points, or a NUL. */
    private static String textProblem(String name, String value) {
        boolean blank = true;
        for (int i = 0; i < value.length() && blank; i++) {
            char c = value.charAt(i);
            blank = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
        }
        if (blank) {
            return RejectReason.emptyField(name);
        }
        if (value.length() > EventContract.MAX_TEXT_LENGTH && value.codePointCount(0, value.length()) > EventContract.MAX_TEXT_LENGTH) {
            return RejectReason.tooLongField(name);
        }
        if (value.indexOf('\u0000') >= 0) {
            return RejectReason.invalidCharacters(name);
        }
        return null;
    }

    /**
     * A JSON number's price in cents, -1 when it is not one: positive, whole cents, at most the contract's highest.
     * A number with a fraction or exponent is read as a double, as a JSON tree reads it, and means the decimal its
     * shortest text gives (129.9900000000000001 is 129.99).
     */
    private long centsOfNumber() {
        if (priceToken == JsonToken.VALUE_NUMBER_INT) {
            if (priceExact != null) {
                return -1; // beyond a long: far above the highest price, or far below zero
            }
            return priceLong > 0 && priceLong <= MAX_CENTS / 100 ? priceLong * 100 : -1;
        }
        double value = priceDouble;
        if (!Double.isFinite(value) || value <= 0 || value > 1e7) {
            return -1;
        }
        long cents = Math.round(value * 100);
        // The double is exactly the nearest one to a whole number of cents: its shortest text has at most two decimals.
        if (cents / 100.0 != value && BigDecimal.valueOf(value).stripTrailingZeros().scale() > 2) {
            return -1;
        }
        if (cents / 100.0 != value) {
            cents = BigDecimal.valueOf(value).movePointRight(2).longValueExact();
        }
        return cents >= 1 && cents <= MAX_CENTS ? cents : -1;
    }

    /** A price given as text: a decimal number, whole cents, positive, at most the highest; -1 otherwise. */
    private static long centsOfText(String value) {
        BigDecimal price;
        try {
            price = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
        if (price.signum() <= 0 || price.compareTo(EventContract.MAX_PRICE) > 0 || price.stripTrailingZeros().scale() > 2) {
            return -1;
        }
        return price.movePointRight(2).longValueExact();
    }

    /**
     * An ISO-8601 instant with seconds and an offset, at or after the contract's earliest, in microseconds since
     * the epoch (the producer's form, 2026-11-25T02:31:07.412Z, read digit by digit); Long.MIN_VALUE when it is not one.
     */
    private static long micros(String value) {
        if (value.length() == 24 && value.charAt(23) == 'Z') {
            long fast = producerForm(value);
            if (fast != Long.MIN_VALUE) {
                return fast;
            }
        }
        if (!INSTANT.matcher(value).matches()) {
            return Long.MIN_VALUE;
        }
        try {
            Instant instant = OffsetDateTime.parse(value).toInstant();
            long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
            return micros >= EARLIEST_MICROS ? micros : Long.MIN_VALUE;
        } catch (DateTimeException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** yyyy-MM-ddTHH:mm:ss.SSSZ; Long.MIN_VALUE for anything else (the general path then decides). */
    private static long producerForm(String v) {
        if (v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':' || v.charAt(16) != ':'
                || v.charAt(19) != '.') {
            return Long.MIN_VALUE;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        int millis = digits(v, 20, 3);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0) {
            return Long.MIN_VALUE;
        }
        if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
        long micros = seconds * 1_000_000L + millis * 1_000L;
        return micros >= EARLIEST_MICROS ? micros : Long.MIN_VALUE;
    }

    /** The number written by {@code count} ASCII digits at {@code from}; -1 when one is not a digit. */
    private static int digits(String v, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Whether Jackson reads the bytes exactly as the text they decode to: '{' first (no byte order mark), no zero
     * byte among the first four (Jackson would take UTF-16 or UTF-32), and valid UTF-8 (no overlong form, no
     * surrogate, nothing past U+10FFFF). ASCII is tested eight bytes at a time.
     */
    static boolean plainUtf8(byte[] b) {
        int n = b.length;
        if (n == 0 || b[0] != '{') {
            return false;
        }
        for (int i = 1; i < Math.min(4, n); i++) {
            if (b[i] == 0) {
                return false;
            }
        }
        int i = 0;
        while (i < n) {
            if (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c < 0xC2) {
                return false; // a continuation byte first, or an overlong two-byte form
            } else if (c < 0xE0) {
                if (!continuation(b, i + 1)) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                int second = i + 1 < n ? b[i + 1] & 0xFF : -1;
                int low = c == 0xE0 ? 0xA0 : 0x80;
                int high = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
                if (second < low || second > high || !continuation(b, i + 2)) {
                    return false;
                }
                i += 3;
            } else if (c < 0xF5) {
                int second = i + 1 < n ? b[i + 1] & 0xFF : -1;
                int low = c == 0xF0 ? 0x90 : 0x80;
                int high = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be past U+10FFFF
                if (second < low || second > high || !continuation(b, i + 2) || !continuation(b, i + 3)) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte[] b, int i) {
        return i < b.length && (b[i] & 0xC0) == 0x80;
    }
}
