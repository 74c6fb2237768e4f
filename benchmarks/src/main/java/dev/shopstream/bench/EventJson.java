package dev.shopstream.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.shopstream.contract.EventContract;

/**
 * An event written character for character as the producer service writes it (producer-service's UserEventJson):
 * the contract's fields in contract order, the price a JSON number with two decimals, the time in UTC with
 * milliseconds, text as Jackson escapes it (quote, backslash, control characters; anything else, non-ASCII included,
 * as is).
 */
final class EventJson {

    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EventJson() {
    }

    static String write(String eventId, String type, String userId, String productId, String category, long cents, long eventMillis) {
        return write(eventId, type, userId, productId, category, price(cents), time(eventMillis));
    }

    /** With the price and time as raw JSON and text: the malformed records put anything there. */
    static String write(String eventId, String type, String userId, String productId, String category, String priceJson, String time) {
        StringBuilder json = new StringBuilder(240);
        json.append("{\"" + EventContract.EVENT_ID + "\":");
        string(json, eventId);
        json.append(",\"" + EventContract.EVENT_TYPE + "\":");
        string(json, type);
        json.append(",\"" + EventContract.USER_ID + "\":");
        string(json, userId);
        json.append(",\"" + EventContract.PRODUCT_ID + "\":");
        string(json, productId);
        json.append(",\"" + EventContract.CATEGORY + "\":");
        string(json, category);
        json.append(",\"" + EventContract.PRICE + "\":").append(priceJson);
        json.append(",\"" + EventContract.EVENT_TIME + "\":");
        string(json, time);
        return json.append('}').toString();
    }

    /** A price in cents as the service writes a BigDecimal of scale 2. */
    static String price(long cents) {
        long fraction = cents % 100;
        return (cents / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }

    static String time(long epochMillis) {
        return EVENT_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> json.append("\\b");
                    case '\t' -> json.append("\\t");
                    case '\n' -> json.append("\\n");
                    case '\f' -> json.append("\\f");
                    case '\r' -> json.append("\\r");
                    default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
