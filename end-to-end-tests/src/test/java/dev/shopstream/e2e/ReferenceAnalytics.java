package dev.shopstream.e2e;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The three analytics, computed in plain Java from the events as they sit in the topic: tumbling windows
 * by integer arithmetic on epoch milliseconds, each event id counted once, money in BigDecimal.
 */
final class ReferenceAnalytics {

    record WindowKey(Instant windowStart, String key) implements Comparable<WindowKey> {
        @Override
        public int compareTo(WindowKey other) {
            return Comparator.comparing(WindowKey::windowStart).thenComparing(WindowKey::key).compare(this, other);
        }
    }

    final Map<WindowKey, Long> productViews = new TreeMap<>();
    final Map<WindowKey, Long> categoryActivity = new TreeMap<>();
    final Map<WindowKey, BigDecimal> categoryRevenue = new TreeMap<>();

    static ReferenceAnalytics of(List<JsonNode> events, Duration window) {
        ReferenceAnalytics reference = new ReferenceAnalytics();
        Set<String> seen = new HashSet<>();
        for (JsonNode event : events) {
            if (seen.add(event.get("event_id").asText())) {
                reference.count(event, window.toMillis());
            }
        }
        return reference;
    }

    private void count(JsonNode event, long windowMillis) {
        long time = Instant.parse(event.get("event_time").asText()).toEpochMilli();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(time, windowMillis) * windowMillis);
        String type = event.get("event_type").asText();
        String category = event.get("category").asText();
        categoryActivity.merge(new WindowKey(start, category), 1L, Long::sum);
        if (type.equals("product_view")) {
            productViews.merge(new WindowKey(start, event.get("product_id").asText()), 1L, Long::sum);
        } else if (type.equals("purchase")) {
            categoryRevenue.merge(new WindowKey(start, category), event.get("price").decimalValue(), BigDecimal::add);
        }
    }

    Instant latestWindow() {
        return productViews.keySet().stream().map(WindowKey::windowStart).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** The n largest values of one window, ties broken by key, as the API ranks them. */
    static <V extends Comparable<V>> List<Map.Entry<String, V>> leaders(Map<WindowKey, V> table, Instant windowStart, int n) {
        return table.entrySet().stream()
                .filter(e -> e.getKey().windowStart().equals(windowStart))
                .map(e -> Map.entry(e.getKey().key(), e.getValue()))
                .sorted(Map.Entry.<String, V>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .toList();
    }
}
