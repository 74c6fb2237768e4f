package dev.shopstream.bench.fast;

/**
 * The event time in the one form the producer writes, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, read from characters without
 * java.time: the epoch milliseconds, or -1 when the text is in any other form, names no such instant (30 February,
 * hour 24, second 60) or is before 1970. Every -1 goes to the contract's own judge, so a form this does not read is
 * never wrongly rejected.
 */
final class ProducerTime {

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private ProducerTime() {
    }

    static long epochMillis(char[] t, int length) {
        if (length != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' || t[23] != 'Z') {
            return -1;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = digits(t, 20, 3);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || millis < 0) {
            return -1;
        }
        int monthDays = DAYS_IN_MONTH[month - 1] + (month == 2 && leap(year) ? 1 : 0);
        if (day > monthDays) {
            return -1;
        }
        return ((daysFromEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The digits at [from, from + count) as a number, or -1 if any is not an ASCII digit. */
    private static int digits(char[] t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean leap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the days-from-civil algorithm). */
    static long daysFromEpoch(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
