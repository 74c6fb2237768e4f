package dev.shopstream.analytics.support;

import java.time.Instant;

/** The identity of a row of a window table: its window and its product or category. */
public record WindowKey(Instant windowStart, Instant windowEnd, String key) implements Comparable<WindowKey> {

    @Override
    public int compareTo(WindowKey other) {
        int byStart = windowStart.compareTo(other.windowStart);
        return byStart != 0 ? byStart : key.compareTo(other.key);
    }

    @Override
    public String toString() {
        return windowStart + ".." + windowEnd + " " + key;
    }
}
