package dev.shopstream.analytics.dedup;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.util.LongAccumulator;

import dev.shopstream.analytics.events.RejectedRecord;
import dev.shopstream.analytics.events.RejectedRecordWriter;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.RejectReason;
import dev.shopstream.contract.RejectedPayload;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Drops the copies of an event that a producer sent again: an event_id counts once per Kafka partition, the copy at
 * the lowest offset (the contract's meaning of a duplicate; pipeline-contract/README.md). A later copy equal to the
 * first in what the analytics read is a re-delivery, dropped and counted; one that differs is a conflicting duplicate,
 * not counted either, stored in {@code rejected_events} by the task that finds it.
 *
 * <p>Runs as {@code transformWithState} keyed by (Kafka partition, bucket of the event_id): a re-sent copy carries the
 * same key as the first, so it lands in the same partition and the same bucket, and every state lookup is one of the
 * key's. Each first copy's id is remembered with the end of its window and a fingerprint of its fields, until the
 * watermark passes that end: from the next batch on, every copy of it with that event time is late, and Spark drops it
 * before it gets here. One event-time timer per key and window end forgets the ids in the batch whose watermark first
 * reaches it, from one list of the key's remembered ids with their windows' ends.
 *
 * <p>Two state variables, not more: each costs every task of every batch its own encoders and column family to set up
 * before the first event (docs/benchmarks.md: eight lists by window cost a tenth of the executors' time at 2,000
 * events/s). Reading the whole list when a window closes costs about two reads per id over its life, as a few windows
 * are open at once.
 */
public final class EventDeduplicator extends StatefulProcessor<Row, Row, Row> {

    private static final long serialVersionUID = 1L;

    /** The input's columns, in order ({@link #INPUT_COLUMNS}). */
    static final int PARTITION = 0;
    static final int OFFSET = 2;
    static final int EVENT_ID = 3;
    static final int EVENT_TYPE = 4;
    static final int PRODUCT_ID = 5;
    static final int CATEGORY = 6;
    static final int PRICE = 7;
    static final int EVENT_TIME = 8;
    static final int FINGERPRINT = 9;

    private final long windowMillis;
    private final String topic;
    private final JdbcTarget rejects;
    private final LongAccumulator duplicates;
    private final LongAccumulator rejected;
    /** event_id -> its first copy's fingerprint (the window it is listed under says when to forget it). */
    private transient MapState<String, Long> firstCopies;
    /** The ids remembered, each with the end of its first copy's window: what to forget when a window closes. */
    private transient ListState<Tuple2<String, Long>> rememberedIds;

    /**
     * @param windowMillis the windows' length
     * @param topic        the topic the stream reads (for the position of a conflicting duplicate)
     * @param rejects      where conflicting duplicates are stored
     * @param duplicates   counts the re-deliveries dropped
     * @param rejected     counts the conflicting duplicates, with the batch's other rejects
     */
    public EventDeduplicator(long windowMillis, String topic, JdbcTarget rejects, LongAccumulator duplicates, LongAccumulator rejected) {
        this.windowMillis = windowMillis;
        this.topic = topic;
        this.rejects = rejects;
        this.duplicates = duplicates;
        this.rejected = rejected;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        firstCopies = getHandle().getMapState("first_copies", Encoders.STRING(), Encoders.LONG(), TTLConfig.NONE());
        rememberedIds = getHandle().getListState("remembered_ids", Encoders.tuple(Encoders.STRING(), Encoders.LONG()), TTLConfig.NONE());
    }

    /** The key's events of this batch, in offset order: each first copy goes on, each duplicate stays behind. */
    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> events, TimerValues timerValues) {
        List<Row> inOffsetOrder = new ArrayList<>();
        while (events.hasNext()) {
            inOffsetOrder.add(events.next());
        }
        inOffsetOrder.sort(Comparator.comparingLong(event -> event.getLong(OFFSET)));
        List<Row> firsts = new ArrayList<>(inOffsetOrder.size());
        List<Tuple2<String, Long>> newIds = new ArrayList<>();
        Set<Long> windowEnds = new HashSet<>();
        for (Row event : inOffsetOrder) {
            String id = event.getString(EVENT_ID);
            Long firstCopyFingerprint = firstCopies.getValue(id);
            if (isDuplicate(firstCopyFingerprint)) {
                dropDuplicate(event, firstCopyFingerprint);
                continue;
            }
            long windowEnd = windowEnd(event.get(EVENT_TIME));
            firstCopies.updateValue(id, event.getLong(FINGERPRINT));
            newIds.add(new Tuple2<>(id, windowEnd));
            windowEnds.add(windowEnd);
            firsts.add(RowFactory.create(event.get(EVENT_TYPE), event.get(PRODUCT_ID), event.get(CATEGORY), event.get(PRICE),
                    event.get(EVENT_TIME)));
        }
        if (!newIds.isEmpty()) {
            rememberedIds.appendList(toArray(newIds));
        }
        forgetWhenWindowsClose(windowEnds);
        return CollectionConverters.asScala(firsts).iterator();
    }

    /** An event is a duplicate when a first copy of its id is remembered (the fingerprint looked up for its id). */
    private static boolean isDuplicate(Long firstCopyFingerprint) {
        return firstCopyFingerprint != null;
    }

    /** A later copy goes no further: a re-delivery when it equals the first (counted), else a conflicting duplicate (stored). */
    private void dropDuplicate(Row copy, long firstCopyFingerprint) {
        if (isRedelivery(copy, firstCopyFingerprint)) {
            duplicates.add(1);
            return;
        }
        rejected.add(1);
        RejectedRecordWriter.write(rejects, new RejectedRecord(topic, copy.getInt(PARTITION), copy.getLong(OFFSET),
                RejectedPayload.describing(copy.getString(EVENT_ID), copy.getString(EVENT_TYPE), copy.getString(PRODUCT_ID),
                        copy.getString(CATEGORY), (BigDecimal) copy.get(PRICE), instant(copy.get(EVENT_TIME))),
                RejectReason.CONFLICTING_DUPLICATE));
    }

    /** Equal to the first copy in every field the analytics read. */
    private static boolean isRedelivery(Row copy, long firstCopyFingerprint) {
        return firstCopyFingerprint == copy.getLong(FINGERPRINT);
    }

    /** One timer per window end seen: registering one that exists already would only log a warning. */
    private void forgetWhenWindowsClose(Set<Long> windowEnds) {
        if (windowEnds.isEmpty()) {
            return;
        }
        Iterator<Object> registered = getHandle().listTimers();
        while (registered.hasNext()) {
            windowEnds.remove((Long) registered.next());
        }
        windowEnds.forEach(getHandle()::registerTimer);
    }

    /**
     * The watermark has reached a window's end: forgets the ids whose first copy's window it has passed. Every copy
     * of them with that event time is late from the next batch on. The ids of windows still open stay listed.
     */
    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo) {
        forgetIdsOfClosedWindows(rememberedIds, timerValues.getCurrentWatermarkInMs());
        return scala.collection.Iterator$.MODULE$.empty();
    }

    /** Forgets the ids whose window the watermark has passed; the others stay listed. */
    private void forgetIdsOfClosedWindows(ListState<Tuple2<String, Long>> listed, long watermark) {
        List<Tuple2<String, Long>> stillOpen = new ArrayList<>();
        Iterator<Tuple2<String, Long>> ids = listed.get();
        while (ids.hasNext()) {
            Tuple2<String, Long> id = ids.next();
            // An id is listed once per time it is remembered, and only remembered again once forgotten here: its
            // listed window is its window, so no lookup is needed to forget it.
            if (id._2() <= watermark) {
                firstCopies.removeKey(id._1());
            } else {
                stillOpen.add(id);
            }
        }
        listed.clear();
        if (!stillOpen.isEmpty()) {
            listed.put(toArray(stillOpen));
        }
    }

    @SuppressWarnings("unchecked")
    private static Tuple2<String, Long>[] toArray(List<Tuple2<String, Long>> ids) {
        return ids.toArray(new Tuple2[0]);
    }

    private long windowEnd(Object eventTime) {
        long millis = instant(eventTime).toEpochMilli();
        return Math.floorDiv(millis, windowMillis) * windowMillis + windowMillis;
    }

    /** Spark hands out Timestamp, or Instant with its java8API on. */
    private static Instant instant(Object time) {
        return time instanceof Instant instant ? instant : ((Timestamp) time).toInstant();
    }
}
