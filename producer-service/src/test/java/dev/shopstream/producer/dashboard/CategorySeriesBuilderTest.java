package dev.shopstream.producer.dashboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.shopstream.producer.dashboard.DashboardSnapshot.CategorySeries;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Series;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Window;
import dev.shopstream.producer.analytics.WindowRows.AuditVerdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** From window-table rows to chart series: the time axis, zeros where a category had no row, the order. */
class CategorySeriesBuilderTest {

    record Row(String start, String category, long value) {
    }

    private static final CategorySeriesBuilder<Row, Long> BUILDER = new CategorySeriesBuilder<>(
            row -> window(row.start()), Row::category, Row::value, 0L, Long::sum);

    /** Whether a window is final or audited is only carried from its rows to the axis: one test below. */
    private static Window window(String start) {
        return new Window(Instant.parse(start), Instant.parse(start).plusSeconds(120), false, null);
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
    void shouldKeepEachWindowFinalOrOpenAndItsAuditAsItsRowsSayIt() {
        AuditVerdict exact = new AuditVerdict(AuditVerdict.EXACT, BigDecimal.ZERO, 0, Instant.parse("2026-11-25T02:40:00Z"));
        Window closed = new Window(Instant.parse("2026-11-25T02:32:00Z"), Instant.parse("2026-11-25T02:34:00Z"), true, exact);
        Window open = window("2026-11-25T02:34:00Z");
        CategorySeriesBuilder<Window, Long> builder = new CategorySeriesBuilder<>(w -> w, w -> "books", w -> 1L, 0L, Long::sum);

        assertThat(builder.build(List.of(open, closed), false).windows()).containsExactly(closed, open);
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
