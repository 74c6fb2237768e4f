package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

/** Records to preload into a benchmark topic, and what the three analytics over them must be. */
public interface TopicTraffic {

    /** A Kafka record: key (user_id) and value (the JSON as the producer writes it, or a malformed one). */
    record Event(String key, String json) {
    }

    Event next();

    /** Events that count (valid, each event_id once), so far. */
    long expectedEvents();

    /** Of which product views. */
    long expectedViews();

    /** The per-window, per-key totals of what was generated so far, or null where the generator does not keep them. */
    AnalyticsTotals expectedTotals();

    /** One line for the table: what kind of traffic this is. */
    String describe();
}
