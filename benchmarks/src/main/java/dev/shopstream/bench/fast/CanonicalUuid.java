package dev.shopstream.bench.fast;

/**
 * An event_id in a UUID's canonical text (8-4-4-4-12 lower-case hex digits) as its 128 bits. Only that one spelling
 * is read: each such text is one value and back, so the bits stand for the id exactly; an upper-case or other
 * spelling of the same UUID is a different event_id and stays text. Reused per thread.
 */
final class CanonicalUuid {

    long high;
    long low;

    boolean parse(char[] t, int length) {
        if (length != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-') {
            return false;
        }
        long h = 0;
        long l = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            char c = t[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return false;
            }
            if (i < 19) {
                h = h << 4 | digit;
            } else {
                l = l << 4 | digit;
            }
        }
        high = h;
        low = l;
        return true;
    }
}
