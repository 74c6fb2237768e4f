package dev.shopstream.bench.fast;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which copy of an event_id counts: the one place that says it. An event_id counts once per Kafka partition, the copy
 * read first (each partition is read in offset order), as the contract says and the oracle (ReferenceAnalytics) and
 * the job count it: copies re-sent by a producer share the key, hence the partition. Each partition has its own set,
 * and a partition is read by one thread, so the threads share nothing but the map of sets.
 */
final class DedupScope {

    private final int expectedIdsPerPartition;
    private final Map<Integer, UuidSet> uuids = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> otherIds = new ConcurrentHashMap<>();

    DedupScope(int expectedIds) {
        this.expectedIdsPerPartition = Math.max(1024, expectedIds / 4);
    }

    /** True for the first copy in its partition of an event_id given as a canonical (lower-case) UUID's two halves. */
    boolean firstSighting(int partition, long high, long low) {
        UuidSet set = uuids.computeIfAbsent(partition, p -> new UuidSet(expectedIdsPerPartition));
        synchronized (set) {
            return set.add(high, low);
        }
    }

    /** True for the first copy in its partition of any other event_id. A canonical UUID's text never reaches here. */
    boolean firstSighting(int partition, String eventId) {
        return otherIds.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(eventId);
    }

    /** An open-addressing set of 128-bit values. */
    private static final class UuidSet {
        private long[] highs;
        private long[] lows;
        private boolean[] used;
        private int size;

        UuidSet(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            highs = new long[capacity];
            lows = new long[capacity];
            used = new boolean[capacity];
        }

        boolean add(long high, long low) {
            int mask = used.length - 1;
            int slot = slot(high, low, mask);
            while (used[slot]) {
                if (highs[slot] == high && lows[slot] == low) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            used[slot] = true;
            highs[slot] = high;
            lows[slot] = low;
            if (++size * 2 > used.length) {
                grow();
            }
            return true;
        }

        private static int slot(long high, long low, int mask) {
            long h = (high * 0x9E3779B97F4A7C15L) ^ (low * 0xC2B2AE3D27D4EB4FL);
            return (int) (h ^ (h >>> 29)) & mask;
        }

        private void grow() {
            long[] oldHighs = highs;
            long[] oldLows = lows;
            boolean[] oldUsed = used;
            highs = new long[oldUsed.length * 2];
            lows = new long[oldUsed.length * 2];
            used = new boolean[oldUsed.length * 2];
            int mask = used.length - 1;
            for (int i = 0; i < oldUsed.length; i++) {
                if (oldUsed[i]) {
                    int slot = slot(oldHighs[i], oldLows[i], mask);
                    while (used[slot]) {
                        slot = (slot + 1) & mask;
                    }
                    used[slot] = true;
                    highs[slot] = oldHighs[i];
                    lows[slot] = oldLows[i];
                }
            }
        }
    }
}
