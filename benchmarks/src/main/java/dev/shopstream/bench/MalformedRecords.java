package dev.shopstream.bench;

import java.util.SplittableRandom;

/**
 * Records that break the contract, each made from a valid event of the stream: the ways real producers and hand-made
 * clients get it wrong. Every kind is rejected by the contract (EventRules); which reason it gives is the contract's.
 */
final class MalformedRecords {

    enum Kind {
        /** The record cut off mid-way, as a crashed client leaves it. */
        NOT_JSON,
        /** One of the seven fields left out. */
        MISSING_FIELD,
        /** Negative, zero, three decimals, text, or above the maximum. */
        BAD_PRICE,
        /** No such day, no offset, a space for the 'T', or not a time at all. */
        BAD_TIME,
        /** A category longer than the contract's 128 code points (with non-ASCII in it). */
        TOO_LONG_TEXT,
        /** A user_id of spaces. */
        BLANK_TEXT,
        /** An event type the contract does not know. */
        UNKNOWN_TYPE,
        /** A NUL character (escaped in the JSON) in a product_id. */
        NUL_IN_TEXT
    }

    private static final String[] BAD_PRICES = {"-5.00", "0", "12.345", "\"abc\"", "1000000.00"};
    private static final String[] BAD_TIMES = {"2026-02-30T10:00:00.000Z", "2026-12-05T10:00:00.000", "2026-12-05 10:00:00.000Z", "yesterday"};
    private static final String[] FIELDS = dev.shopstream.contract.EventContract.FIELDS.toArray(String[]::new);

    private MalformedRecords() {
    }

    static Kind pick(SplittableRandom random) {
        return Kind.values()[random.nextInt(Kind.values().length)];
    }

    /** The record of {@code kind} made from the given valid event's fields. */
    static String make(Kind kind, SplittableRandom random, String eventId, String type, String userId, String productId, String category,
                       long cents, long eventMillis) {
        String price = EventJson.price(cents);
        String time = EventJson.time(eventMillis);
        return switch (kind) {
            case NOT_JSON -> {
                String whole = EventJson.write(eventId, type, userId, productId, category, price, time);
                yield whole.substring(0, 1 + random.nextInt(whole.length() - 2));
            }
            case MISSING_FIELD -> withoutField(EventJson.write(eventId, type, userId, productId, category, price, time),
                    FIELDS[random.nextInt(FIELDS.length)]);
            case BAD_PRICE -> EventJson.write(eventId, type, userId, productId, category, BAD_PRICES[random.nextInt(BAD_PRICES.length)], time);
            case BAD_TIME -> EventJson.write(eventId, type, userId, productId, category, price, BAD_TIMES[random.nextInt(BAD_TIMES.length)]);
            case TOO_LONG_TEXT -> EventJson.write(eventId, type, userId, productId, (category + " — ").repeat(20).substring(0, 140), price, time);
            case BLANK_TEXT -> EventJson.write(eventId, type, "   ", productId, category, price, time);
            case UNKNOWN_TYPE -> EventJson.write(eventId, "checkout", userId, productId, category, price, time);
            case NUL_IN_TEXT -> EventJson.write(eventId, type, userId, productId + "\u0000", category, price, time);
        };
    }

    /** The JSON without one "field":value member (values written by EventJson hold no unescaped quote-comma). */
    private static String withoutField(String json, String field) {
        int start = json.indexOf("\"" + field + "\":");
        int end = start;
        boolean inString = false;
        for (int i = start + field.length() + 3; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && (c == ',' || c == '}')) {
                end = i;
                break;
            }
        }
        boolean last = json.charAt(end) == '}';
        // Remove the member and one neighbouring comma, so the rest stays valid JSON.
        return last ? json.substring(0, start - 1) + "}" : json.substring(0, start) + json.substring(end + 1);
    }
}
