package dev.shopstream.bench.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.shopstream.bench.totals.AnalyticsTotals;
import dev.shopstream.bench.TopicTraffic;
import dev.shopstream.bench.TrafficForTests;
import dev.shopstream.contract.ReferenceAnalytics;

/** The all-core reference's per-record work, without Kafka: its totals are the oracle's, key by key. */
class AllCoresReferenceTest {

    @Test
    void twoWorkersSharingTheDedupScopeTotalAsTheOracle() {
        TopicTraffic traffic = TrafficForTests.realistic(Instant.parse("2026-12-01T00:00:00Z"));
        DedupScope dedup = new DedupScope(1 << 10);
        AllCoresReference.Worker[] workers = {new AllCoresReference.Worker("unused", List.of(), dedup),
                new AllCoresReference.Worker("unused", List.of(), dedup)};
        ReferenceAnalytics oracle = new ReferenceAnalytics();
        for (int i = 0; i < 100_000; i++) {
            TopicTraffic.Event event = traffic.next();
            // Records of one key go to one worker, as one partition goes to one thread.
            int worker = Math.floorMod(event.key().hashCode(), workers.length);
            workers[worker].take(worker, event.json().getBytes(StandardCharsets.UTF_8));
            oracle.add(event.json(), "t", worker, i);
        }
        AnalyticsTotals totals = new AnalyticsTotals();
        for (AllCoresReference.Worker w : workers) {
            w.counts.addTo(totals);
        }
        AnalyticsTotals.Difference difference = totals.compareWith(AnalyticsTotals.of(oracle));
        assertThat(difference.none()).as(difference.toString()).isTrue();
        assertThat(workers[0].rejected + workers[1].rejected).isEqualTo(oracle.rejected.size());
        assertThat(workers[0].duplicates + workers[1].duplicates).isEqualTo(oracle.duplicates);
    }

    @Test
    void producerTimeReadsEveryInstantAsJavaTimeDoes() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(3);
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long millis = i < 1000 ? i * 86_400_000L * 366 : random.nextLong(max);
            char[] text = format.format(Instant.ofEpochMilli(millis)).toCharArray();
            assertThat(ProducerTime.epochMillis(text, text.length)).isEqualTo(millis);
        }
    }
}
