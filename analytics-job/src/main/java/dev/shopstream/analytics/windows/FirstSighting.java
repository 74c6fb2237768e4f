package dev.shopstream.analytics.windows;

import java.sql.Timestamp;
import java.time.Instant;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;

import scala.collection.Iterator;

/**
 * The stream's de-duplication: passes on the first record of each event_id and drops every later one, for as
 * long as a copy could still be on time. Runs as {@code transformWithState} keyed by event_id, in event time.
 *
 * <p>Why not Spark's {@code dropDuplicatesWithinWatermark}: it forgets ids by scanning its whole state on every
 * batch, and the default store also copies its whole map into a new version on every batch. The state holds every
 * id of the last two minutes of event time (the watermark delay, twice), so both costs grow with the event
 * rate: in the JFR profile at 2,000-8,000 events/s they were 37% of the job's task time. Here each id carries an
 * event-time timer instead, and Spark finds the expired ones by a range scan of its timer index: a batch costs
 * what it reads and what expires, not what is held.
 *
 * <p>Same rule as Spark's: an id is kept until the watermark reaches its event time plus the watermark delay.
 * A copy arriving after that has an event time behind the watermark, so the watermark drops it as late anyway.
 */
final class FirstSighting extends StatefulProcessor<String, Row, Row> {

    private static final long serialVersionUID = 1L;

    private final int eventTimeIndex;
    private final long retainMillis;
    private transient ValueState<Long> expiry;

    /**
     * @param eventTimeIndex the position of the event-time column in the rows
     * @param retainMillis   how long past its event time an id is remembered: the watermark delay
     */
    FirstSighting(int eventTimeIndex, long retainMillis) {
        this.eventTimeIndex = eventTimeIndex;
        this.retainMillis = retainMillis;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        expiry = getHandle().getValueState("expiry", Encoders.LONG(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(String eventId, Iterator<Row> rows, TimerValues timerValues) {
        if (expiry.exists()) {
            return scala.collection.Iterator$.MODULE$.empty(); // counted in an earlier batch
        }
        Row first = rows.next(); // copies within this batch: the first one read
        long expiresAt = millis(first.get(eventTimeIndex)) + retainMillis;
        expiry.update(expiresAt);
        getHandle().registerTimer(expiresAt);
        return scala.collection.Iterator$.MODULE$.single(first);
    }

    @Override
    public Iterator<Row> handleExpiredTimer(String eventId, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo) {
        expiry.clear();
        return scala.collection.Iterator$.MODULE$.empty();
    }

    private static long millis(Object time) {
        return time instanceof Instant instant ? instant.toEpochMilli() : ((Timestamp) time).getTime();
    }
}
