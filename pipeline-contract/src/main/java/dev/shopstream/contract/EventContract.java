package dev.shopstream.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The user event as it travels on Kafka: one JSON object per record, keyed by user_id. The producer writes it,
 * the job reads it; both take the names and limits from here.
 */
public final class EventContract {

    public static final String TOPIC = "user_events";

    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String USER_ID = "user_id";
    public static final String PRODUCT_ID = "product_id";
    public static final String CATEGORY = "category";
    public static final String PRICE = "price";
    public static final String EVENT_TIME = "event_time";
    /** The fields in contract order: the order in which problems are looked for too. */
    public static final List<String> FIELDS = List.of(EVENT_ID, EVENT_TYPE, USER_ID, PRODUCT_ID, CATEGORY, PRICE, EVENT_TIME);
    /** The fields that are free text (ids and the category). */
    public static final List<String> TEXT_FIELDS = List.of(EVENT_ID, USER_ID, PRODUCT_ID, CATEGORY);

    public static final String PRODUCT_VIEW = "product_view";
    public static final String ADD_TO_CART = "add_to_cart";
    public static final String PURCHASE = "purchase";
    public static final List<String> EVENT_TYPES = List.of(PRODUCT_VIEW, ADD_TO_CART, PURCHASE);

    /** The longest accepted id or category, in Unicode code points. */
    public static final int MAX_TEXT_LENGTH = 128;
    /**
     * The highest accepted price. The contract says "positive, at most 2 decimals"; a ceiling keeps any window's
     * revenue far inside numeric(14,2), so hostile input cannot make a write overflow and stop the job.
     */
    public static final BigDecimal MAX_PRICE = new BigDecimal("999999.99");
    /** ISO-8601 date-time with seconds, optional fraction and a mandatory offset: an instant, never a local time. */
    public static final String INSTANT_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$";

    /**
     * The earliest accepted event_time. No shop event happened before the Unix epoch, and Spark hands instants
     * before 1582 to JDBC through the Julian calendar, so a window of the year 1062 would be written days off.
     */
    public static final Instant EARLIEST_EVENT_TIME = Instant.EPOCH;

    private EventContract() {
    }
}
