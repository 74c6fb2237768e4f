package dev.shopstream.bench.fast;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 as Java's decoder reads them (no overlong forms, no encoded surrogates, nothing
 * above U+10FFFF), ASCII tested eight bytes at a time. Only such a record reads as the same text from its bytes (the
 * fast path) and from the String the oracle decodes, where a bad byte becomes U+FFFD.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    static boolean isValid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            if (i + 8 <= n && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c >= 0xC2 && c <= 0xDF) {
                if (!continuation(b, i + 1, n)) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (!continuation(b, i + 1, n) || !continuation(b, i + 2, n)) {
                    return false;
                }
                int second = b[i + 1] & 0xFF;
                if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0)) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (!continuation(b, i + 1, n) || !continuation(b, i + 2, n) || !continuation(b, i + 3, n)) {
                    return false;
                }
                int second = b[i + 1] & 0xFF;
                if ((c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte[] b, int i, int n) {
        return i < n && (b[i] & 0xC0) == 0x80;
    }
}
