package dev.shopstream.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The contract's rules in plain Java (Jackson), for references and tests: the verdict on one record's value,
 * the same rules as the job's Spark parser, checked in the same order (fields in contract order, "missing"
 * before the field's value checks), so both give the same reason. Fields are read as text, as Spark's parser
 * reads them: a number where a string is expected counts as its text.
 */
public final class EventRules {

    /** Either an event or the reason it is not one. */
    public record Verdict(ValidEvent event, String reason) {
        public boolean valid() {
            return event != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLANK = Pattern.compile("^\\s*$");
    private static final Pattern INSTANT = Pattern.compile(EventContract.INSTANT_PATTERN);

    private EventRules() {
    }

    public static Verdict judge(String payload) {
        return judge(payload, EventRules::price);
    }

    /**
     * The verdict with another implementation of the price rule (the audit's oracle uses {@link PriceInCents}):
     * everything else is judged as {@link #judge(String)} does.
     */
    public static Verdict judge(String payload, Function<String, BigDecimal> priceRule) {
        JsonNode root;
        try {
            root = payload == null || payload.isEmpty() ? null : JSON.readTree(payload);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return reject(RejectReason.NOT_JSON);
        }
        String[] text = new String[EventContract.FIELDS.size()];
        BigDecimal price = null;
        Instant time = null;
        for (int i = 0; i < text.length; i++) {
            String name = EventContract.FIELDS.get(i);
            JsonNode node = root.get(name);
            if (node == null || node.isNull()) {
                return reject(RejectReason.missingField(name));
            }
            text[i] = node.isValueNode() ? node.asText() : jsonText(node);
            if (EventContract.TEXT_FIELDS.contains(name)) {
                String problem = textProblem(name, text[i]);
                if (problem != null) {
                    return reject(problem);
                }
            } else if (name.equals(EventContract.EVENT_TYPE) && !EventContract.EVENT_TYPES.contains(text[i])) {
                return reject(RejectReason.UNKNOWN_EVENT_TYPE);
            } else if (name.equals(EventContract.PRICE)) {
                price = priceRule.apply(node.isNumber() ? numberText(node) : text[i]);
                if (price == null) {
                    return reject(RejectReason.INVALID_PRICE);
                }
            } else if (name.equals(EventContract.EVENT_TIME)) {
                time = instant(text[i]);
                if (time == null) {
                    return reject(RejectReason.INVALID_EVENT_TIME);
                }
            }
        }
        return new Verdict(new ValidEvent(text[0], text[1], text[2], text[3], text[4], price, time), null);
    }

    /**
     * An array or object where text is expected, as Spark's parser gives it: written compactly by Jackson's UTF-8
     * generator, which escapes characters outside the Basic Multilingual Plane as surrogate pairs (\\uD83D\\uDED2).
     * Its length decides too_long_field, so it must be the same text.
     */
    private static String jsonText(JsonNode node) {
        try {
            return new String(JSON.writeValueAsBytes(node), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String textProblem(String name, String value) {
        if (BLANK.matcher(value).matches()) {
            return RejectReason.emptyField(name);
        }
        if (value.codePointCount(0, value.length()) > EventContract.MAX_TEXT_LENGTH) {
            return RejectReason.tooLongField(name);
        }
        if (value.indexOf('\u0000') >= 0) {
            return RejectReason.invalidCharacters(name);
        }
        return null;
    }

    /** A JSON number's exact text; null for one beyond a double's range (1e400 reads as infinite: no decimal value). */
    private static String numberText(JsonNode node) {
        return node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) ? null : node.decimalValue().toPlainString();
    }

    /**
     * The contract's price rule, on the price as text: a number, positive, at most {@link EventContract#MAX_PRICE},
     * in whole cents (exactly: "5.0000000000000000001" is not). The price at scale 2, or null when the text is
     * not a valid price (or is null). The job's parser calls it too, so both judge prices by this one method.
     */
    public static BigDecimal price(String text) {
        if (text == null) {
            return null;
        }
        BigDecimal price;
        try {
            price = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        // Whole cents: no digit beyond the second decimal once trailing zeros are gone. (Rounding to 2 decimals
        // and comparing says the same, but "1e-999999999" would make it compute 10^999999997.)
        if (price.signum() <= 0 || price.compareTo(EventContract.MAX_PRICE) > 0 || price.stripTrailingZeros().scale() > 2) {
            return null;
        }
        return price.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static Instant instant(String text) {
        if (!INSTANT.matcher(text).matches()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return instant.isBefore(EventContract.EARLIEST_EVENT_TIME) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Verdict reject(String reason) {
        return new Verdict(null, reason);
    }
}
