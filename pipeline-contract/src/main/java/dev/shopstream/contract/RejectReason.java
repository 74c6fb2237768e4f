package dev.shopstream.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * The reasons stored in {@code rejected_events.reason}. Field-specific reasons carry the field name after a
 * colon ({@code missing_field:price}) so that a dashboard can group by the part before it.
 */
public final class RejectReason {

    /** The payload is absent, empty, malformed JSON, or JSON that is not an object. */
    public static final String NOT_JSON = "not_json";
    /** event_type is not one of product_view, add_to_cart, purchase. */
    public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
    /** price is not a number, not above 0, has more than 2 decimals, or exceeds {@link EventContract#MAX_PRICE}. */
    public static final String INVALID_PRICE = "invalid_price";
    /**
     * event_time is not an ISO-8601 instant with an offset (2026-11-25T02:31:07.412Z), no such instant exists, or
     * it is before {@link EventContract#EARLIEST_EVENT_TIME}.
     */
    public static final String INVALID_EVENT_TIME = "invalid_event_time";
    /**
     * A later copy of an event_id already counted from the same Kafka partition, that differs from the first copy
     * in what the analytics read (event_type, product_id, category, price or event_time): not counted, kept aside.
     * A later copy equal to the first is an ordinary re-delivery: dropped and counted as a duplicate, not rejected.
     */
    public static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";

    private RejectReason() {
    }

    /** Every reason the job can give, and no other: a record's own ({@link #ofRecord}) and a conflicting duplicate. */
    public static List<String> all() {
        List<String> reasons = new ArrayList<>(ofRecord());
        reasons.add(CONFLICTING_DUPLICATE);
        return List.copyOf(reasons);
    }

    /** The reasons one record can get on its own, judged alone: the constants and each field-specific reason of each field. */
    public static List<String> ofRecord() {
        List<String> reasons = new ArrayList<>(List.of(NOT_JSON, UNKNOWN_EVENT_TYPE, INVALID_PRICE, INVALID_EVENT_TIME));
        for (String field : EventContract.FIELDS) {
            reasons.add(missingField(field));
        }
        for (String field : EventContract.TEXT_FIELDS) {
            reasons.add(emptyField(field));
            reasons.add(tooLongField(field));
            reasons.add(invalidCharacters(field));
        }
        return List.copyOf(reasons);
    }

    /** The field is absent or JSON null. */
    public static String missingField(String field) {
        return "missing_field:" + field;
    }

    /** A text field that is empty or only whitespace. */
    public static String emptyField(String field) {
        return "empty_field:" + field;
    }

    /** A text field longer than {@link EventContract#MAX_TEXT_LENGTH} characters (Unicode code points). */
    public static String tooLongField(String field) {
        return "too_long_field:" + field;
    }

    /** A text field holding a NUL character, which PostgreSQL text cannot store. */
    public static String invalidCharacters(String field) {
        return "invalid_characters:" + field;
    }
}
