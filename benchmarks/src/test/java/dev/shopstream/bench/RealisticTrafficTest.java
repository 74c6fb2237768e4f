package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;
import dev.shopstream.contract.ReferenceAnalytics;

/** The realistic traffic: seeded, in the documented shares, and its own bookkeeping equal to the oracle's totals. */
class RealisticTrafficTest {

    private static final int RECORDS = 200_000;
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealisticTraffic traffic;
    private static List<TopicTraffic.Event> records;

    @BeforeAll
    static void generate() {
        traffic = new RealisticTraffic(TrafficMix.defaults(), START);
        records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(traffic.next());
        }
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        RealisticTraffic again = new RealisticTraffic(TrafficMix.defaults(), START);
        for (int i = 0; i < 20_000; i++) {
            assertThat(again.next()).isEqualTo(records.get(i));
        }
    }

    @Test
    void sharesAreTheMixs() {
        TrafficMix mix = TrafficMix.defaults();
        assertThat(traffic.duplicates() / (double) RECORDS).isCloseTo(mix.duplicateShare(), within(0.003));
        assertThat(traffic.malformed() / (double) RECORDS).isCloseTo(mix.malformedShare(), within(0.0003));
        assertThat(traffic.late() / (double) traffic.expectedEvents()).isCloseTo(mix.lateShare(), within(0.002));
        assertThat(traffic.lateBeyondWatermark()).isBetween(traffic.late() / 2, traffic.late() - 1);
        assertThat(traffic.nonAscii() / (double) traffic.expectedEvents()).isCloseTo(mix.nonAsciiShare(), within(0.02));
        assertThat(traffic.malformedByKind()).hasSize(MalformedRecords.Kind.values().length);
    }

    @Test
    void aDuplicateIsTheSameRecordAFewHundredRecordsLater() {
        Map<String, Integer> firstSeen = new HashMap<>();
        List<Integer> distances = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            TopicTraffic.Event event = records.get(i);
            Integer earlier = firstSeen.putIfAbsent(event.json(), i);
            if (earlier != null) {
                assertThat(records.get(earlier).key()).isEqualTo(event.key());
                distances.add(i - earlier);
            }
        }
        assertThat(distances).hasSize((int) traffic.duplicates());
        distances.sort(Integer::compare);
        assertThat(distances.get(distances.size() / 2)).isBetween(50, 400);
    }

    @Test
    void theGeneratorsTotalsAreTheOraclesKeyByKey() {
        ReferenceAnalytics oracle = new ReferenceAnalytics();
        for (int i = 0; i < records.size(); i++) {
            oracle.add(records.get(i).json(), "t", 0, i);
        }
        assertThat(oracle.rejected).hasSize((int) traffic.malformed());
        assertThat(oracle.duplicates).isEqualTo(traffic.duplicates());
        AnalyticsTotals.Difference difference = AnalyticsTotals.of(oracle).compareWith(traffic.expectedTotals());
        assertThat(difference.none()).as(difference.toString()).isTrue();
        assertThat(traffic.expectedTotals().activityTotal()).isEqualTo(traffic.expectedEvents());
    }

    @Test
    void validEventsAreWrittenAsTheProducerWritesThem() throws Exception {
        Set<String> nonAsciiCategories = new HashSet<>();
        for (TopicTraffic.Event event : records.subList(0, 5_000)) {
            EventRules.Verdict verdict = EventRules.judge(event.json());
            if (!verdict.valid()) {
                continue;
            }
            JsonNode node = JSON.readTree(event.json());
            assertThat(node.fieldNames()).toIterable().containsExactlyElementsOf(EventContract.FIELDS);
            assertThat(node.get(EventContract.PRICE).isNumber()).isTrue();
            assertThat(node.get(EventContract.EVENT_TIME).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.key()).isEqualTo(verdict.event().userId());
            for (String text : List.of(verdict.event().productId(), verdict.event().category())) {
                assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(EventContract.MAX_TEXT_LENGTH);
            }
            if (!verdict.event().category().chars().allMatch(c -> c < 128)) {
                nonAsciiCategories.add(verdict.event().category());
            }
        }
        assertThat(nonAsciiCategories).anyMatch(c -> c.codePoints().anyMatch(Character::isIdeographic))
                .anyMatch(c -> c.codePoints().anyMatch(cp -> cp > 0xFFFF));
    }

    @Test
    void popularityIsSkewed() {
        Map<String, Integer> views = new HashMap<>();
        for (TopicTraffic.Event event : records.subList(0, 50_000)) {
            EventRules.Verdict verdict = EventRules.judge(event.json());
            if (verdict.valid() && verdict.event().eventType().equals(EventContract.PRODUCT_VIEW)) {
                views.merge(verdict.event().productId(), 1, Integer::sum);
            }
        }
        int total = views.values().stream().mapToInt(Integer::intValue).sum();
        List<Integer> sorted = views.values().stream().sorted((a, b) -> b - a).toList();
        int top10 = sorted.stream().limit(10).mapToInt(Integer::intValue).sum();
        assertThat(top10 / (double) total).as("the 10 hottest of 500 products' share of views").isGreaterThan(0.3);
    }
}
