package dev.shopstream.producer.dashboard;

import java.time.Instant;
import java.util.List;

import dev.shopstream.producer.dashboard.DashboardSnapshot.CategorySeries;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Series;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Window;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** From window-table rows to chart series: the time axis, zeros where a category had no row, the order. */
class CategorySeriesBuilderTest {

    record Row(String start, String category, long value) {
    }

    private static final CategorySeriesBuilder<Row, Long> BUILDER = new CategorySeriesBuilder<>(
            row -> Instant.parse(row.start()), row -> Instant.parse(row.start()).plusSeconds(120), Row::category, Row::value,
            0L, Long::sum);

    private static Window window(String start) {
        return new Window(Instant.parse(start), Instant.parse(start).plusSeconds(120));
    }

    @Test
    void shouldPutTheWindowsOldestFirstAndFillMissingCategoriesWithZero() {
        CategorySeries<Long> series = BUILDER.build(List.of(
                new Row("2026-11-25T02:34:00Z", "books", 80),
                new Row("2026-11-25T02:34:00Z", "electronics", 120),
                new Row("2026-11-25T02:30:00Z", "toys", 7),
                new Row("2026-11-25T02:32:00Z", "electronics", 100)), false);

        assertThat(series.windows()).containsExactly(window("2026-11-25T02:30:00Z"), window("2026-11-25T02:32:00Z"),
                window("2026-11-25T02:34:00Z"));
        assertThat(series.categories()).containsExactly(
                new Series<>("electronics", List.of(0L, 100L, 120L)),
                new Series<>("books", List.of(0L, 0L, 80L)),
                new Series<>("toys", List.of(7L, 0L, 0L)));
    }

    @Test
    void shouldOrderCategoriesWithTheSameTotalByName() {
        CategorySeries<Long> series = BUILDER.build(List.of(
                new Row("2026-11-25T02:34:00Z", "home & kitchen", 80),
                new Row("2026-11-25T02:34:00Z", "books", 80),
                new Row("2026-11-25T02:34:00Z", "automotive", 80)), false);

        assertThat(series.categories()).extracting(Series::category).containsExactly("automotive", "books", "home & kitchen");
    }

    @Test
    void shouldLeaveOutTheOldestWindowOfRowsCutAtTheRowLimit() {
        // Newest first and cut at the limit: the 02:30 window may have more rows than these, so it is not shown short.
        CategorySeries<Long> series = BUILDER.build(List.of(
                new Row("2026-11-25T02:32:00Z", "books", 5),
                new Row("2026-11-25T02:30:00Z", "books", 9)), true);

        assertThat(series.windows()).containsExactly(window("2026-11-25T02:32:00Z"));
        assertThat(series.categories()).containsExactly(new Series<>("books", List.of(5L)));
    }

    @Test
    void shouldGiveNothingForNoRows() {
        assertThat(BUILDER.build(List.of(), false)).isEqualTo(new CategorySeries<Long>(List.of(), List.of()));
    }

    @Test
    void shouldStartTheAxisSoManyWindowLengthsBeforeTheLatestWindow() {
        Instant latest = Instant.parse("2026-11-25T02:34:00Z");
        assertThat(DashboardService.firstWindowStart(latest, latest.plusSeconds(120), 10)).isEqualTo("2026-11-25T02:16:00Z");
        assertThat(DashboardService.firstWindowStart(latest, latest.plusSeconds(120), 1)).isEqualTo(latest);
        assertThat(DashboardService.firstWindowStart(latest, latest, 10)).isEqualTo(latest);
    }
}
