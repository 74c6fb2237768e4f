package dev.shopstream.producer.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.shopstream.producer.web.DatabaseUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A scrape reads the pipeline at most once, and not at all right after the API or the dashboard read it. */
class PipelineHealthCacheTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final AtomicLong nanos = new AtomicLong();
    private final PipelineHealthCache cache = new PipelineHealthCache(nanos::get);
    private final AtomicInteger reads = new AtomicInteger();

    private static PipelineHealth health(long rejected) {
        return new PipelineHealth("running", Instant.EPOCH, 1.0, 7L, rejected, 0, null, List.of(), null);
    }

    private Supplier<PipelineHealth> counting(PipelineHealth answer) {
        return () -> {
            reads.incrementAndGet();
            return answer;
        };
    }

    @Test
    void shouldReadOnceForAllTheGaugesOfAScrape() {
        PipelineHealth first = health(1);
        for (int gauge = 0; gauge < 30; gauge++) {
            assertThat(cache.recent(MAX_AGE, counting(first))).isSameAs(first);
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void shouldReuseWhatTheApiJustReadAndReadAgainOnceItIsTooOld() {
        PipelineHealth fromApi = health(1);
        cache.remember(fromApi);
        nanos.addAndGet(MAX_AGE.toNanos() - 1);
        assertThat(cache.recent(MAX_AGE, counting(health(2)))).isSameAs(fromApi);
        assertThat(reads).hasValue(0);

        nanos.addAndGet(1);
        assertThat(cache.recent(MAX_AGE, counting(health(2))).rejectedEvents()).isEqualTo(2);
        assertThat(reads).hasValue(1);
    }

    @Test
    void shouldRememberAFailedReadSoThatAnOutageCostsOneWaitPerScrape() {
        PipelineHealth good = health(1);
        cache.remember(good);
        nanos.addAndGet(MAX_AGE.toNanos());
        Supplier<PipelineHealth> failing = () -> {
            reads.incrementAndGet();
            throw new DatabaseUnavailableException("the analytics database is unavailable", null);
        };
        assertThat(cache.recent(MAX_AGE, failing)).isNull();
        assertThat(cache.recent(MAX_AGE, failing)).isNull();
        assertThat(reads).hasValue(1);
        assertThat(cache.latestGood()).isSameAs(good);
    }

    @Test
    void shouldLetConcurrentScrapesShareOneRead() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PipelineHealth slow = health(3);
        Supplier<PipelineHealth> read = () -> {
            reads.incrementAndGet();
            reading.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return slow;
        };
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<PipelineHealth>> answers = new ArrayList<>();
            answers.add(threads.submit(() -> cache.recent(MAX_AGE, read)));
            assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 7; i++) {
                answers.add(threads.submit(() -> cache.recent(MAX_AGE, read)));
            }
            release.countDown();
            for (Future<PipelineHealth> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isSameAs(slow);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void shouldTellTheListenersOfEveryRead() {
        List<PipelineHealth> seen = new ArrayList<>();
        cache.onRead(seen::add);
        PipelineHealth fromApi = health(1);
        PipelineHealth fromScrape = health(2);
        cache.remember(fromApi);
        nanos.addAndGet(MAX_AGE.toNanos());
        cache.recent(MAX_AGE, counting(fromScrape));
        assertThat(seen).containsExactly(fromApi, fromScrape);
    }
}
