package dev.shopstream.producer.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import dev.shopstream.producer.dashboard.DashboardSnapshot.CategorySeries;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Series;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Window;

/**
 * Turns window-table rows (one per window and category, in any order) into chart series: the windows oldest
 * first (each as its rows say it: final or open, audited or not; every row of a window says the same, as one
 * statement read them), and per category one value per window, {@code zero} where the category had no row in that window.
 */
final class CategorySeriesBuilder<R, V extends Comparable<V>> {

    private final Function<R, Window> window;
    private final Function<R, String> category;
    private final Function<R, V> value;
    private final V zero;
    private final BinaryOperator<V> plus;

    CategorySeriesBuilder(Function<R, Window> window, Function<R, String> category, Function<R, V> value, V zero, BinaryOperator<V> plus) {
        this.window = window;
        this.category = category;
        this.value = value;
        this.zero = zero;
        this.plus = plus;
    }

    /**
     * @param truncated the rows were cut at a row limit, newest window first: the oldest window they reach
     *                  may be incomplete, so it is left out rather than shown short
     */
    CategorySeries<V> build(List<R> rows, boolean truncated) {
        TreeMap<Instant, Window> windows = new TreeMap<>();
        for (R row : rows) {
            Window w = window.apply(row);
            windows.put(w.windowStart(), w);
        }
        if (truncated && windows.size() > 1) {
            windows.pollFirstEntry();
        }
        Map<Instant, Integer> position = new LinkedHashMap<>();
        List<Window> axis = new ArrayList<>();
        windows.forEach((start, w) -> {
            position.put(start, axis.size());
            axis.add(w);
        });
        Map<String, List<V>> valuesByCategory = new TreeMap<>();
        for (R row : rows) {
            Integer at = position.get(window.apply(row).windowStart());
            if (at != null) {
                valuesByCategory.computeIfAbsent(category.apply(row), c -> zeros(axis.size())).set(at, value.apply(row));
            }
        }
        List<Series<V>> series = new ArrayList<>();
        valuesByCategory.forEach((name, values) -> series.add(new Series<>(name, List.copyOf(values))));
        Comparator<Series<V>> byTotal = Comparator.comparing(s -> s.values().stream().reduce(zero, plus));
        series.sort(byTotal.reversed().thenComparing(Series::category));
        return new CategorySeries<>(List.copyOf(axis), List.copyOf(series));
    }

    private List<V> zeros(int size) {
        List<V> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(zero);
        }
        return values;
    }
}
