package dev.shopstream.bench.totals;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.shopstream.contract.ReferenceAnalytics;

/**
 * The three analytics as exact per-window, per-key values, the form in which every engine of figure 2 (the job's
 * tables, Flink SQL, both plain-Java references, the generator's own bookkeeping) is compared with every other:
 * views per (window, product), events per (window, category), revenue per (window, category) in cents.
 *
 * <p>Written to a file as one line per value, sorted: {@code views|activity|revenue TAB window-start-epoch-ms TAB key
 * TAB value}, the key with backslash, tab and line breaks escaped. flink-reference writes the same format on its own
 * (it does not share this module's classpath).
 */
public final class AnalyticsTotals {

    public static final String VIEWS = "views";
    public static final String ACTIVITY = "activity";
    public static final String REVENUE = "revenue";

    /** One row key: the window's start and the product or category. */
    public record Key(long windowStartMillis, String key) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::windowStartMillis).thenComparing(Key::key);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    public final Map<Key, Long> views = new TreeMap<>();
    public final Map<Key, Long> activity = new TreeMap<>();
    public final Map<Key, Long> revenueCents = new TreeMap<>();

    public void addView(long windowStart, String product, long count) {
        views.merge(new Key(windowStart, product), count, Long::sum);
    }

    public void addActivity(long windowStart, String category, long count) {
        activity.merge(new Key(windowStart, category), count, Long::sum);
    }

    public void addRevenue(long windowStart, String category, long cents) {
        revenueCents.merge(new Key(windowStart, category), cents, Long::sum);
    }

    public long viewTotal() {
        return sum(views);
    }

    public long activityTotal() {
        return sum(activity);
    }

    public long revenueCentsTotal() {
        return sum(revenueCents);
    }

    private static long sum(Map<Key, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The oracle's maps, money as cents (its revenue has scale 2, so the conversion is exact). */
    public static AnalyticsTotals of(ReferenceAnalytics reference) {
        AnalyticsTotals totals = new AnalyticsTotals();
        reference.productViews.forEach((k, v) -> totals.addView(k.windowStart().toEpochMilli(), k.key(), v));
        reference.categoryActivity.forEach((k, v) -> totals.addActivity(k.windowStart().toEpochMilli(), k.key(), v));
        reference.categoryRevenue.forEach((k, v) -> totals.addRevenue(k.windowStart().toEpochMilli(), k.key(), cents(v)));
        return totals;
    }

    public static long cents(BigDecimal money) {
        return money.movePointRight(2).longValueExact();
    }

    // ---- the file format -------------------------------------------------------------------------------

    public void write(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeTable(out, VIEWS, views);
            writeTable(out, ACTIVITY, activity);
            writeTable(out, REVENUE, revenueCents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTable(BufferedWriter out, String table, Map<Key, Long> values) throws IOException {
        for (Map.Entry<Key, Long> e : values.entrySet()) {
            out.write(table + "\t" + e.getKey().windowStartMillis() + "\t" + escape(e.getKey().key()) + "\t" + e.getValue() + "\n");
        }
    }

    public static AnalyticsTotals read(Path file) {
        AnalyticsTotals totals = new AnalyticsTotals();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                long window = Long.parseLong(cells[1]);
                String key = unescape(cells[2]);
                long value = Long.parseLong(cells[3]);
                switch (cells[0]) {
                    case VIEWS -> totals.addView(window, key, value);
                    case ACTIVITY -> totals.addActivity(window, key, value);
                    case REVENUE -> totals.addRevenue(window, key, value);
                    default -> throw new IllegalArgumentException("unknown table in " + file + ": " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return totals;
    }

    public static String escape(String key) {
        return key.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    public static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- comparing -------------------------------------------------------------------------------------

    /**
     * How these totals differ from {@code expected}: empty when every key of every table has the same value;
     * else the number of differing keys per table, the sums, and the first few differences.
     */
    public Difference compareWith(AnalyticsTotals expected) {
        List<String> samples = new ArrayList<>();
        List<String> excess = new ArrayList<>();
        int views = differingKeys(VIEWS, this.views, expected.views, samples, excess);
        int activity = differingKeys(ACTIVITY, this.activity, expected.activity, samples, excess);
        int revenue = differingKeys(REVENUE, this.revenueCents, expected.revenueCents, samples, excess);
        boolean onlyShort = onlyBelow(this.views, expected.views) && onlyBelow(this.activity, expected.activity)
                && onlyBelow(this.revenueCents, expected.revenueCents);
        long extra = 0;
        long missing = 0;
        TreeSet<Key> keys = new TreeSet<>(this.activity.keySet());
        keys.addAll(expected.activity.keySet());
        for (Key key : keys) {
            long delta = this.activity.getOrDefault(key, 0L) - expected.activity.getOrDefault(key, 0L);
            extra += Math.max(0, delta);
            missing += Math.max(0, -delta);
        }
        return new Difference(views, activity, revenue, missing, extra, expected.viewTotal() - viewTotal(),
                expected.revenueCentsTotal() - revenueCentsTotal(), onlyShort, List.copyOf(samples), List.copyOf(excess));
    }

    private static int differingKeys(String table, Map<Key, Long> actual, Map<Key, Long> expected, List<String> samples, List<String> excess) {
        TreeSet<Key> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        int differing = 0;
        for (Key key : keys) {
            long a = actual.getOrDefault(key, 0L);
            long e = expected.getOrDefault(key, 0L);
            if (a != e) {
                differing++;
                String sample = table + " " + Instant.ofEpochMilli(key.windowStartMillis()) + " '" + key.key() + "': " + a + " instead of " + e;
                if (samples.size() < 5) {
                    samples.add(sample);
                }
                if (a > e && excess.size() < 3) {
                    excess.add(sample);
                }
            }
        }
        return differing;
    }

    /** True when no key of {@code actual} exceeds its expected value (nothing extra, at most some missing). */
    private static boolean onlyBelow(Map<Key, Long> actual, Map<Key, Long> expected) {
        return actual.entrySet().stream().allMatch(e -> e.getValue() <= expected.getOrDefault(e.getKey(), 0L));
    }

    /**
     * @param missingEvents  events (activity) below the expected value, summed over the keys where they are: dropped
     * @param extraEvents    events above the expected value, summed over the keys where they are: counted in excess
     * @param missingViews   expected views minus these totals' views
     * @param onlyShort      no key of any table holds more than expected: an engine that only dropped events (late ones)
     * @param samples        the first few differing keys; {@code excessSamples} the first few that hold more than expected
     */
    public record Difference(int viewKeys, int activityKeys, int revenueKeys, long missingEvents, long extraEvents, long missingViews,
                      long missingRevenueCents, boolean onlyShort, List<String> samples, List<String> excessSamples) {
        public boolean none() {
            return viewKeys == 0 && activityKeys == 0 && revenueKeys == 0;
        }

        @Override
        public String toString() {
            if (none()) {
                return "equal on every key";
            }
            return String.format(java.util.Locale.ROOT, "%d view, %d activity, %d revenue keys differ: %,d events missing and %,d in excess "
                            + "(views %,d and revenue %s missing in sum); e.g. %s", viewKeys, activityKeys, revenueKeys, missingEvents, extraEvents,
                    missingViews, BigDecimal.valueOf(missingRevenueCents, 2).toPlainString(), String.join("; ", samples));
        }
    }
}
