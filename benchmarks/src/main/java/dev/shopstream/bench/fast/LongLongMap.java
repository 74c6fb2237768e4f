package dev.shopstream.bench.fast;

import java.util.function.LongBinaryOperator;

/** An open-addressing map from long to long without boxing; keys must not be -1 (the empty slot is key + 1 == 0). */
final class LongLongMap {

    private long[] keys; // key + 1; 0 = empty
    private long[] values;
    private int size;
    private int mask;

    LongLongMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
    }

    void add(long key, long delta) {
        long stored = key + 1;
        int slot = slot(stored);
        while (true) {
            long k = keys[slot];
            if (k == stored) {
                values[slot] += delta;
                return;
            }
            if (k == 0) {
                keys[slot] = stored;
                values[slot] = delta;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Calls {@code action(key, value)} for every entry. */
    void forEach(LongBinaryOperator action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.applyAsLong(keys[i] - 1, values[i]);
            }
        }
    }

    private int slot(long stored) {
        long h = stored * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(oldKeys[i]);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
