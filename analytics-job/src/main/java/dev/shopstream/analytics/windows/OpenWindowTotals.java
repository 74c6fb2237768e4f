package dev.shopstream.analytics.windows;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;

import dev.shopstream.analytics.events.EventParser;
import scala.Tuple5;
import scala.collection.Iterator;

/**
 * The stream's one stateful step: the running totals of one (window, product, category), and the event_ids
 * already counted in them. Runs as {@code transformWithState} keyed by (window_start, product_id, category), in
 * event time; on every batch that brings a new event to the key it emits the key's full running total.
 *
 * <p>Why one operator for de-duplication and aggregation, instead of de-duplicating by event_id and then
 * aggregating: every state of the stream then lives under the key that is also the output's, so the batch
 * shuffles its events once (not once by event_id and again by window), and a new event costs one read and one
 * write of its id, where an id-keyed de-duplication kept each id with a timer of its own (a read and three
 * writes, then three deletes). See docs/benchmarks.md for what it changed.
 *
 * <p>A re-delivered event is a copy of the same record, so it lands on the same key as the first copy and is
 * found there. The ids of a window are needed only while the window can still change: once the watermark passes
 * the window's end, every event of it is late and dropped by Spark before it gets here. So an event-time timer
 * per key, at the window's end, closes it: its totals go at once, its ids over the next half window of event
 * time, a share at each step. Every window of a stream closes at the same moment, and forgetting all its ids in
 * one batch (240,000 at 2,000 events/s) made that batch 2.7 s instead of 0.4 s; spread out, the deletes cost
 * each batch about what its inserts cost.
 */
final class OpenWindowTotals extends StatefulProcessor<Row, Row, Row> {

    private static final long serialVersionUID = 1L;
    /** A closed window's ids are forgotten in this many steps. */
    private static final int FORGET_STEPS = 30;
    private final long windowMillis;
    private final int eventIdIndex;
    private final int eventTypeIndex;
    private final int priceIndex;
    /** The ids of a closed window are forgotten by this much event time after its end. */
    private final long forgetSpanMillis;
    /** ... in steps this far apart. */
    private final long forgetStepMillis;
    private transient MapState<String, Boolean> counted;
    /** Set once the window has closed: how many of its ids are still held. */
    private transient ValueState<Long> unforgotten;
    /** views, events, purchases, and revenue in cents as two longs ({@link ExactCents}: high, low). */
    private transient ValueState<Tuple5<Long, Long, Long, Long, Long>> totals;

    /**
     * @param windowMillis   the windows' length
     * @param eventIdIndex   where the value rows hold event_id
     * @param eventTypeIndex where they hold event_type
     * @param priceIndex     where they hold price
     */
    OpenWindowTotals(long windowMillis, int eventIdIndex, int eventTypeIndex, int priceIndex) {
        this.windowMillis = windowMillis;
        this.eventIdIndex = eventIdIndex;
        this.eventTypeIndex = eventTypeIndex;
        this.priceIndex = priceIndex;
        this.forgetSpanMillis = Math.max(1, windowMillis / 2);
        this.forgetStepMillis = Math.max(1, forgetSpanMillis / FORGET_STEPS);
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        counted = getHandle().getMapState("counted", Encoders.STRING(), Encoders.BOOLEAN(), TTLConfig.NONE());
        totals = getHandle().getValueState("totals",
                Encoders.tuple(Encoders.LONG(), Encoders.LONG(), Encoders.LONG(), Encoders.LONG(), Encoders.LONG()), TTLConfig.NONE());
        unforgotten = getHandle().getValueState("unforgotten", Encoders.LONG(), TTLConfig.NONE());
    }

    /** key: window_start, product_id, category. */
    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> events, TimerValues timerValues) {
        Tuple5<Long, Long, Long, Long, Long> before = totals.get();
        long views = 0, count = 0, purchases = 0;
        ExactCents cents = new ExactCents(0, 0);
        if (before != null) {
            views = before._1();
            count = before._2();
            purchases = before._3();
            cents = new ExactCents(before._4(), before._5());
        }
        boolean changed = false;
        while (events.hasNext()) {
            Row event = events.next();
            String id = event.getString(eventIdIndex);
            if (counted.containsKey(id)) {
                continue; // a re-delivery: counted in this batch or an earlier one
            }
            counted.updateValue(id, Boolean.TRUE);
            changed = true;
            count++;
            String type = event.getString(eventTypeIndex);
            if (EventParser.PRODUCT_VIEW.equals(type)) {
                views++;
            } else if (EventParser.PURCHASE.equals(type)) {
                purchases++;
                cents.add(((BigDecimal) event.get(priceIndex)).unscaledValue().longValueExact());
            }
        }
        if (!changed) {
            return scala.collection.Iterator$.MODULE$.empty();
        }
        Object start = key.get(0);
        if (before == null) {
            getHandle().registerTimer(millis(start) + windowMillis);
        }
        totals.update(new Tuple5<>(views, count, purchases, cents.high(), cents.low()));
        Row total = RowFactory.create(start, plus(start, windowMillis), key.get(1), key.get(2), views, count, purchases,
                cents.toDecimal());
        return scala.collection.Iterator$.MODULE$.single(total);
    }

    /**
     * The watermark has passed the window's end (the first timer) or a step of forgetting its ids (the next ones):
     * forgets the share of the ids that brings the key on schedule, all of them once the watermark is half a
     * window past the end. No event of the window reaches this key any more, so its totals go at the first timer.
     */
    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo) {
        long windowEnd = millis(key.get(0)) + windowMillis;
        Long held = unforgotten.get();
        // Where the schedule stood: the window's end at the first timer, the previous step's watermark after it.
        long since = held == null ? windowEnd : expiredTimerInfo.getExpiryTimeInMs() - forgetStepMillis;
        if (held == null) {
            Tuple5<Long, Long, Long, Long, Long> closed = totals.get();
            held = closed == null ? 0L : closed._2(); // the event count: one id per event counted
            totals.clear();
        }
        long watermark = timerValues.getCurrentWatermarkInMs();
        long deadline = windowEnd + forgetSpanMillis;
        long share = watermark >= deadline || since >= watermark ? held
                : Math.max(1, (long) Math.ceil(held * (double) (watermark - since) / (deadline - since)));
        List<String> ids = new ArrayList<>((int) Math.min(share, 100_000));
        Iterator<String> keys = counted.keys();
        while (ids.size() < share && keys.hasNext()) {
            ids.add(keys.next());
        }
        ids.forEach(counted::removeKey);
        long left = keys.hasNext() ? held - ids.size() : 0;
        if (left > 0) {
            unforgotten.update(left);
            getHandle().registerTimer(watermark + forgetStepMillis);
        } else {
            unforgotten.clear();
        }
        return scala.collection.Iterator$.MODULE$.empty();
    }

    private static long millis(Object time) {
        return time instanceof Instant instant ? instant.toEpochMilli() : ((Timestamp) time).getTime();
    }

    /** The same kind of time value as given: Spark hands out Timestamp, or Instant with its java8API on. */
    private static Object plus(Object time, long millis) {
        return time instanceof Instant instant ? instant.plusMillis(millis) : new Timestamp(((Timestamp) time).getTime() + millis);
    }
}
